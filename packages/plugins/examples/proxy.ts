// A gateway: remote MCP servers (stdio here; { url } for Streamable HTTP) behind one app.
import { createRequire } from "node:module";
import { createServer } from "@mcpforge/core";
import { createProxy, mount } from "@mcpforge/plugins";
import { createTestClient } from "@mcpforge/testing";

// A third-party server, started as a child process (one connection, reused by every call).
const serverEverything = createRequire(import.meta.url).resolve(
  "@modelcontextprotocol/server-everything/dist/index.js",
);
const everything = createProxy(
  { command: process.execPath, args: [serverEverything, "stdio"], stderr: "ignore" },
  {
    name: "everything",
    timeoutMs: 30_000, // per call
    listTtlMs: 60_000, // lists are refreshed on the backend's list_changed, or after this
    reconnect: { initialDelayMs: 200, maxDelayMs: 10_000 },
    tools: { include: { names: ["echo", "get-sum", "trigger-sampling-request"] } },
  },
);

const gateway = createServer({ name: "gateway", version: "1.0.0" });
mount(gateway, everything, { namespace: "everything" });

// The calling client answers the backend's sampling requests.
const client = await createTestClient(gateway, {
  sampling: () => ({ role: "assistant", content: { type: "text", text: "42" }, model: "mine" }),
});
console.log(await client.callTool("everything_echo", { message: "hello" }));
console.log(await client.callTool("everything_get-sum", { a: 2, b: 3 }));
// server-everything adds its sampling tool after initialize and announces it: the proxy then
// fetches its list again (refresh() does the same on demand).
await everything.backend.refresh();
const sampled = await client.callTool<string>("everything_trigger-sampling-request", {
  prompt: "?",
});
console.log("sampled:", sampled.includes('"42"'));
console.log("backend:", everything.backend.status().state);

await client.close();
await gateway.close(); // closes the proxy and its child process
