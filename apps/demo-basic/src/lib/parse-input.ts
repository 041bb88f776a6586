import type * as z from "zod";
import { DomainError } from "./domain-error.js";

function isMissing(input: unknown, path: readonly PropertyKey[]): boolean {
  let value = input;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return false;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return path.length > 0 && value === undefined;
}

/**
 * Formats zod issues as one user-facing line naming each bad field (dotted path); pass the
 * parsed input to report absent fields as "is required".
 *
 * @example
 * formatZodIssues(result.error.issues, input); // "principal: must be greater than 0; years: is required"
 */
export function formatZodIssues(issues: readonly z.core.$ZodIssue[], input?: unknown): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join(".");
      const message = isMissing(input, issue.path) ? "is required" : issue.message;
      return path ? `${path}: ${message}` : message;
    })
    .join("; ");
}

/**
 * Validates `input` against `schema` and returns the parsed value, or throws a DomainError.
 *
 * @example
 * const { a } = parseInput(z.object({ a: z.number() }), { a: 1 }); // a === 1
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new DomainError(`Invalid input: ${formatZodIssues(result.error.issues, input)}`);
  }
  return result.data;
}
