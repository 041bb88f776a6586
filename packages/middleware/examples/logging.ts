// One JSON log line per request on stderr, secrets redacted. Speaks MCP over stdio.
import { createServer } from "@mcpforge/core";
import { logging } from "@mcpforge/middleware/logging";
import * as z from "zod";

const app = createServer({ name: "logged", version: "1.0.0" }).use(
  logging({ level: "info", maxPayloadBytes: 1024, redactKeys: ["password", "token", "ssn"] }),
);

app.tool(
  "sign_in",
  { description: "Signs in", input: { user: z.string(), password: z.string() } },
  ({ user }, ctx) => `welcome ${user} (request ${ctx.var.correlationId})`,
);
// stderr: {"level":"info","time":"…","name":"@mcpforge/middleware/logging","method":"tools/call",
//          "component":"sign_in","outcome":"ok","arguments":{"user":"ann","password":"[REDACTED]"},…}

await app.run();
