/**
 * MCP Forge stateless with the same tools twice: `echo` and `add` registered on the app, and
 * `m_echo` and `m_add` from a child app mounted under the namespace `m` (`mount()` from
 * `@mcpforge/plugins`): `node forge-mount.js`. The same process serves both, so the two load
 * runs differ only in the mount.
 */
import { createServer } from "@mcpforge/core";
import { mount } from "@mcpforge/plugins";
import * as z from "zod";
import { report, serveParent } from "./child.js";

function withTools(name: string) {
  const app = createServer({ name, version: "1.0.0" });
  app.tool("echo", { description: "Echoes text", input: { text: z.string() } }, ({ text }) => text);
  app.tool(
    "add",
    { description: "Adds two numbers", input: { a: z.number(), b: z.number() } },
    ({ a, b }) => String(a + b),
  );
  return app;
}

const app = withTools("bench-forge-mount");
mount(app, withTools("bench-forge-child"), { namespace: "m" });

const http = await app.listen({ port: 0, mode: "stateless" });
serveParent(() => http.close());
report({ type: "ready", url: http.url });
