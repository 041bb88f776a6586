// Child process for logging.test.ts: logs many lines with the default (batched) writes to
// stderr, or to the file path given as argv[2], then ends at once, closing nothing — with
// `process.exit(0)` or, given "throw" as argv[4], an uncaught exception (exit code 1).
// Every line must still be written.
import { createServer } from "@mcpforge/core";
import { createTestClient } from "@mcpforge/testing";
import { logging } from "../logging/logging.js";

const count = Number(process.argv[3] ?? 2000);
const destination = process.argv[2] === "-" ? undefined : process.argv[2];
const app = createServer({ name: "child", version: "1" }).use(logging({ destination }));
app.tool("ping", { description: "Ping" }, () => "pong");
const client = await createTestClient(app);
await Promise.all(Array.from({ length: count }, () => client.callTool("ping")));
// Still in the turn that logged the last lines: they are buffered, not yet written.
if (process.argv[4] === "throw") {
  queueMicrotask(() => {
    throw new Error("crash after logging");
  });
} else {
  process.exit(0);
}
