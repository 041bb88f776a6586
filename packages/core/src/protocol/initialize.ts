import type { InitializeRequest, JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

import { sdkTypes } from "./sdk-types.js";

/**
 * Whether a message is a valid `initialize` request (method, protocol version, client
 * capabilities and info), by the SDK's own `InitializeRequestSchema`. Anything that is not an
 * `initialize` is answered at once (`false`); only an `initialize` loads the SDK's `types.js`,
 * the first time one arrives, so a server that never opens a session never pays for it.
 *
 * @example
 * const message = { jsonrpc: "2.0" as const, id: 1, method: "ping" };
 * isInitializeRequest(message); // false, synchronously
 */
export function isInitializeRequest(message: JSONRPCMessage): false | Promise<boolean> {
  if (!("method" in message) || message.method !== "initialize") return false;
  return sdkTypes().then((sdk) => sdk.isInitializeRequest(message));
}

/** The negotiated protocol version a checked `initialize` asked for. */
export function requestedVersion(message: JSONRPCMessage): string {
  return (message as InitializeRequest & JSONRPCMessage).params.protocolVersion;
}
