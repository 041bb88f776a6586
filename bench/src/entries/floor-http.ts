/**
 * The floor: plain `node:http` that parses the JSON-RPC body and answers the same
 * `tools/call` result with no MCP machinery (no sessions, validation or transport). Answers
 * `{ type: "stats" }` with the `tools/call` requests served and the process's CPU time (µs).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { report, serveParent } from "./child.js";

interface Rpc {
  id?: string | number;
  method?: string;
  params?: { name?: string; arguments?: Record<string, unknown>; protocolVersion?: string };
}

let calls = 0;

function answer(msg: Rpc): unknown {
  if (msg.method === "tools/call") {
    calls++;
    const args = msg.params?.arguments ?? {};
    const text =
      msg.params?.name === "add" ? String(Number(args.a) + Number(args.b)) : String(args.text);
    return { content: [{ type: "text", text }] };
  }
  if (msg.method === "initialize") {
    return {
      protocolVersion: msg.params?.protocolVersion ?? "2025-11-25",
      capabilities: { tools: {} },
      serverInfo: { name: "bench-floor", version: "1.0.0" },
    };
  }
  return {};
}

const http = createServer((req, res) => {
  if (req.method !== "POST") {
    res.writeHead(405).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    let msg: Rpc;
    try {
      msg = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Rpc;
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (msg.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    const body = JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: answer(msg) });
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  });
});
// `{ type: "stats" }` from the parent: the tools/call requests served and the CPU time so far (µs).
process.on("message", (m: { type?: string }) => {
  if (m.type !== "stats") return;
  const cpu = process.cpuUsage();
  report({ type: "result", calls, cpuMicros: cpu.user + cpu.system, spans: -1 });
});
await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
const { port } = http.address() as AddressInfo;
serveParent(
  () =>
    new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    }),
);
report({ type: "ready", url: `http://127.0.0.1:${port}/mcp` });
