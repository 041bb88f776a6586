// Child process for logging.test.ts: logs with the default destination (stderr).
import { createServer } from "@mcpforge/core";
import { createTestClient } from "@mcpforge/testing";
import { logging } from "../logging/logging.js";

const app = createServer({ name: "child", version: "1" }).use(logging());
app.tool("ping", { description: "Ping" }, () => "pong");
const client = await createTestClient(app);
await client.callTool("ping");
await client.close();
