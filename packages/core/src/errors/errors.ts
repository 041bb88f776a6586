/**
 * The error model of MCP Forge: one error class with a code table mapped to JSON-RPC
 * numbers, plus `ToolError` for failures a tool wants the model to see.
 */

/**
 * The code table: each error kind and the JSON-RPC error number it maps to. Every number
 * means one thing.
 *
 * | kind | code | meaning |
 * |---|---|---|
 * | `parse_error` | -32700 | the body or line is not JSON |
 * | `invalid_request` | -32600 | not a valid JSON-RPC request (also: a batch where batches are not allowed) |
 * | `method_not_found` | -32601 | no such method |
 * | `invalid_params` | -32602 | bad params: unknown tool or prompt, invalid arguments, bad cursor |
 * | `internal` | -32603 | an unexpected failure (masked: the detail is in the server log) |
 * | `http_error` | -32000 | refused by the HTTP transport (403 Host/Origin, 404 path, 405, 406, 415, 400 headers); the HTTP status says which |
 * | `unauthorized` | -32001 | no or invalid credentials (HTTP 401) |
 * | `resource_not_found` | -32002 | no resource at that URI (MCP) |
 * | `forbidden` | -32003 | authenticated, but not allowed (HTTP 403, missing scope) |
 * | `capability_missing` | -32004 | the client did not declare a capability the call needs (sampling, elicitation, roots) |
 * | `session_not_found` | -32005 | unknown, expired or ended `Mcp-Session-Id` (HTTP 404) |
 * | `connection_closed` | -32006 | the connection closed before the client answered a server-to-client request |
 * | `timeout` | -32008 | a time limit ran out (a handler's timeout, or the client's answer to sampling/elicitation) |
 * | `unavailable` | -32010 | the server cannot take the call now (shutting down, a dependency is down); retry later |
 * | `rate_limited` | -32029 | too many requests (HTTP 429 with `Retry-After`) |
 * | `url_elicitation_required` | -32042 | the user must complete a URL elicitation first (MCP) |
 * | `cancelled` | -32800 | the request was cancelled |
 */
export const ErrorCodes = {
  parse_error: -32700,
  invalid_request: -32600,
  method_not_found: -32601,
  invalid_params: -32602,
  internal: -32603,
  http_error: -32000,
  unauthorized: -32001,
  resource_not_found: -32002,
  forbidden: -32003,
  capability_missing: -32004,
  session_not_found: -32005,
  connection_closed: -32006,
  timeout: -32008,
  unavailable: -32010,
  rate_limited: -32029,
  url_elicitation_required: -32042,
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
 * const err: unknown = new McpForgeError("forbidden", "Forbidden");
 * if (isMcpForgeError(err)) console.error(err.kind, err.code); // forbidden -32003
 */
export function isMcpForgeError(err: unknown): err is McpForgeError {
  return (
    err instanceof McpForgeError ||
    (err instanceof Error &&
      err.name === "McpForgeError" &&
      typeof (err as McpForgeError).code === "number")
  );
}

/**
 * The error kind of a JSON-RPC error number, if it is in {@link ErrorCodes}.
 *
 * @example
 * kindOfCode(-32602); // "invalid_params"
 */
export function kindOfCode(code: unknown): ErrorKind | undefined {
  for (const [kind, value] of Object.entries(ErrorCodes)) {
    if (value === code) return kind as ErrorKind;
  }
  return undefined;
}
