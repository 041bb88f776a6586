/** The SDK's `McpError` as core sees it: a code, a message and optional data. */
export interface SdkMcpError extends Error {
  readonly code: number;
  readonly data?: unknown;
}

/**
 * Whether a thrown value is the SDK's `McpError` (or a subclass such as
 * `UrlElicitationRequiredError`), recognised by its name and integer code rather than by
 * `instanceof`, so a server need not load the SDK's `types.js` to tell (and an error from the
 * SDK's CommonJS build counts too).
 *
 * @example
 * import { McpError } from "@modelcontextprotocol/sdk/types.js";
 * isSdkMcpError(new McpError(-32602, "bad")); // true
 * isSdkMcpError(new Error("bad")); // false
 */
export function isSdkMcpError(err: unknown): err is SdkMcpError {
  return (
    err instanceof Error &&
    err.name === "McpError" &&
    Number.isSafeInteger((err as { code?: unknown }).code)
  );
}
