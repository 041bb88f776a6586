/**
 * An error caused by bad user input to a domain function, with a message that is safe and
 * useful to show to the user as-is.
 *
 * @example
 * throw new DomainError("Division by zero");
 */
export class DomainError extends Error {
  override readonly name = "DomainError";

  // biome-ignore lint/complexity/noUselessConstructor: makes the message required, unlike Error's.
  constructor(message: string) {
    super(message);
  }
}
