/**
 * The error model of MCP Forge: one error class with a code table mapped to JSON-RPC
 * numbers, plus `ToolError` for failures a tool wants the model to see.
 */

/** The code table: each error kind and the JSON-RPC error number it maps to. */
export const ErrorCodes = {
  parse_error: -32700,
  invalid_request: -32600,
  method_not_found: -32601,
  invalid_params: -32602,
  internal: -32603,
  resource_not_found: -32002,
  url_elicitation_required: -32042,
  unauthorized: -32001,
  forbidden: -32003,
  rate_limited: -32029,
  timeout: -32008,
  unavailable: -32010,
  capability_missing: -32004,
  cancelled: -32800,
} as const;

/** One of the error kinds in {@link ErrorCodes}. */
export type ErrorKind = keyof typeof ErrorCodes;

/** Options for {@link McpForgeError}. */
export interface McpForgeErrorOptions {
  /** Extra JSON data sent in the JSON-RPC error's `data` field. */
  data?: unknown;
  /** The underlying cause (logged, never sent to the client). */
  cause?: unknown;
}

/**
 * An error whose message is meant for the client; it becomes a JSON-RPC error with the
 * number from {@link ErrorCodes}.
 *
 * @example
 * throw new McpForgeError("invalid_params", "Unknown tool: foo");
 */
export class McpForgeError extends Error {
  override readonly name = "McpForgeError";
  readonly kind: ErrorKind;
  readonly code: number;
  readonly data: unknown;

  constructor(kind: ErrorKind, message: string, options: McpForgeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.code = ErrorCodes[kind];
    this.data = options.data;
  }
}

/**
 * A user-visible tool failure: the call answers with an `isError: true` result carrying
 * this message, instead of a JSON-RPC error.
 *
 * @example
 * app.tool("divide", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => {
 *   if (b === 0) throw new ToolError("Cannot divide by zero");
 *   return a / b;
 * });
 */
export class ToolError extends Error {
  override readonly name = "ToolError";
}

/**
 * Tells whether a value is an {@link McpForgeError} (also across package copies).
 *
 * @example
 * if (isMcpForgeError(err)) console.error(err.code);
 */
export function isMcpForgeError(err: unknown): err is McpForgeError {
  return (
    err instanceof McpForgeError ||
    (err instanceof Error &&
      err.name === "McpForgeError" &&
      typeof (err as McpForgeError).code === "number")
  );
}
