/**
 * What the cold-start floors answer, by hand: `initialize` with a fixed server, any other
 * request with its `text` argument as the tool result; notifications get nothing.
 */

/** The JSON-RPC message a floor reads. */
interface FloorMessage {
  id?: number;
  method?: string;
  params?: { protocolVersion?: string; arguments?: { text?: unknown } };
}

/** The answer to one message as JSON text, or `undefined` for a notification. */
export function floorAnswer(text: string): string | undefined {
  const msg = JSON.parse(text) as FloorMessage;
  if (msg.id === undefined) return undefined;
  const result =
    msg.method === "initialize"
      ? {
          protocolVersion: msg.params?.protocolVersion,
          capabilities: { tools: {} },
          serverInfo: { name: "bench-floor", version: "1.0.0" },
        }
      : { content: [{ type: "text", text: String(msg.params?.arguments?.text) }] };
  return JSON.stringify({ jsonrpc: "2.0", id: msg.id, result });
}
