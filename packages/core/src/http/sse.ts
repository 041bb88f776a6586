import type { ServerResponse } from "node:http";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/**
 * Starts an SSE response: status 200, `text/event-stream`, no caching.
 *
 * @example
 * startSse(res, { "mcp-session-id": "s1" }); // 200, text/event-stream, headers sent
 */
export function startSse(res: ServerResponse, headers: Record<string, string>): void {
  res.writeHead(200, {
    ...headers,
    "content-type": "text/event-stream",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  res.flushHeaders();
}

/**
 * Writes one SSE event (`id:` when given, `data:` with the JSON message).
 *
 * @example
 * const params = { level: "info", data: "halfway" };
 * writeEvent(res, "s1_2", { jsonrpc: "2.0", method: "notifications/message", params });
 * // event: message\nid: s1_2\ndata: {"jsonrpc":"2.0",…}\n\n
 */
export function writeEvent(
  res: ServerResponse,
  id: string | undefined,
  message: JSONRPCMessage,
): void {
  res.write(`event: message\n${id ? `id: ${id}\n` : ""}data: ${JSON.stringify(message)}\n\n`);
}

/**
 * Writes a priming event: an id with empty data and a `retry:` hint (SEP-1699).
 *
 * @example
 * writePriming(res, "s1_1", 1000);
 */
export function writePriming(res: ServerResponse, id: string, retryMs: number): void {
  res.write(`id: ${id}\nretry: ${retryMs}\ndata: \n\n`);
}

/**
 * Sends `: keep-alive` comments every `ms` while the response is open; returns a stop function.
 *
 * @example
 * const stop = keepAlive(res, 15_000);
 */
export function keepAlive(res: ServerResponse, ms: number): () => void {
  if (ms <= 0) return () => {};
  const timer = setInterval(() => {
    if (!res.writableEnded) res.write(": keep-alive\n\n");
  }, ms);
  timer.unref();
  const stop = () => clearInterval(timer);
  res.once("close", stop);
  return stop;
}
