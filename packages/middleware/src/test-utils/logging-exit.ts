// Child process for logging.test.ts: logs many lines asynchronously (`sync: false`) to
// stderr, or to the file path given as argv[2], then exits at once, without closing
// anything: every line must still be written.
import { createServer } from "@mcpforge/core";
import { createTestClient } from "@mcpforge/testing";
import { logging } from "../logging/logging.js";

const count = Number(process.argv[3] ?? 2000);
const destination = process.argv[2] === "-" ? undefined : process.argv[2];
const app = createServer({ name: "child", version: "1" }).use(
  logging({ destination, sync: false }),
);
app.tool("ping", { description: "Ping" }, () => "pong");
const client = await createTestClient(app);
await Promise.all(Array.from({ length: count }, () => client.callTool("ping")));
process.exit(0);
