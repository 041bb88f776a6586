// Raw HTTP helpers for the auth tests: one JSON-RPC POST with full control of the headers.

export const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "raw", version: "1" },
  },
};

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON-RPC message in the body (JSON or the last SSE `data:` line), if any. */
  message:
    | {
        result?: Record<string, unknown>;
        error?: { code: number; message: string; data?: unknown };
      }
    | undefined;
}

/** POSTs one JSON-RPC message with the MCP headers plus `headers`. */
export async function post(
  url: string,
  message: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: JSON.stringify(message),
  });
  const text = await res.text();
  let parsed: Answer["message"];
  const type = res.headers.get("content-type") ?? "";
  try {
    if (type.includes("text/event-stream")) {
      const data = text
        .split("\n")
        .filter((l) => l.startsWith("data:") && l.length > 5)
        .map((l) => l.slice(5).trim());
      const last = data.at(-1);
      parsed = last ? JSON.parse(last) : undefined;
    } else if (text !== "") {
      parsed = JSON.parse(text);
    }
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, message: parsed };
}

/** A `tools/call` message. */
export function call(id: number, name: string, args: Record<string, unknown> = {}) {
  return { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } };
}

/** A request message without params. */
export function request(id: number, method: string, params: Record<string, unknown> = {}) {
  return { jsonrpc: "2.0", id, method, params };
}

/** The `Authorization` header for a bearer token. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
