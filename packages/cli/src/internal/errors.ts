/** Exit codes of every command: 0 ok, 1 usage or user error, 2 cannot load or connect, 3 the server returned an error. */
export const EXIT = { ok: 0, usage: 1, load: 2, server: 3 } as const;

/** An error the command line reports as one message and an exit code. */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly exitCode: 1 | 2 | 3;
  constructor(message: string, exitCode: 1 | 2 | 3) {
    super(message);
    this.exitCode = exitCode;
  }
}
