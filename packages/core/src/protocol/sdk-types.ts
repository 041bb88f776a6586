/** The SDK's `types.js` module (its zod schemas and helpers). */
export type SdkTypes = typeof import("@modelcontextprotocol/sdk/types.js");

let loading: Promise<SdkTypes> | undefined;

/**
 * The SDK's `types.js`, imported the first time something needs its zod schemas (an
 * `initialize` to check, a sampling answer to validate). Building those schemas costs about
 * 100 ms, so a server does not import the module at start-up.
 *
 * @example
 * const { CreateMessageResultSchema } = await sdkTypes();
 */
export function sdkTypes(): Promise<SdkTypes> {
  loading ??= import("@modelcontextprotocol/sdk/types.js");
  return loading;
}
