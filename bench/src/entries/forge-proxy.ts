/**
 * A proxy in front of an MCP server over Streamable HTTP: `node forge-proxy.js <backendUrl>
 * [stateless|stateful]`. `createProxy({ url })` from `@mcpforge/plugins` (one client
 * connection to the backend, reused by every call), served itself over Streamable HTTP.
 * Answers `{ type: "stats" }` with this process's CPU time so far (µs); the calls it forwarded
 * are counted by its backend.
 */
import { createProxy } from "@mcpforge/plugins";
import { arg, report, serveParent } from "./child.js";

const backendUrl = arg(0, "");
const mode = arg(1, "stateless") === "stateful" ? "stateful" : "stateless";

const proxy = createProxy({ url: backendUrl }, { name: "bench-proxy", version: "1.0.0" });
process.on("message", (m: { type?: string }) => {
  if (m.type !== "stats") return;
  const cpu = process.cpuUsage();
  report({ type: "result", calls: -1, cpuMicros: cpu.user + cpu.system, spans: -1 });
});
const http = await proxy.listen({ port: 0, mode });
serveParent(() => http.close());
report({ type: "ready", url: http.url });
