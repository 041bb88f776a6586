/**
 * MCP Forge stateless with the same tools twice: `echo` and `add` registered on the app, and
 * `m_echo` and `m_add` from a child app mounted under the namespace `m` (`mount()` from
 * `@mcpforge/plugins`): `node forge-mount.js`. The same process serves both, so the two load
 * runs differ only in the mount.
 */
import { createServer } from "@mcpforge/core";
import { mount } from "@mcpforge/plugins";
import { serveForge } from "./serve.js";
import { forgeTools } from "./tools.js";

const withTools = (name: string) => forgeTools(createServer({ name, version: "1.0.0" }));
const app = withTools("bench-forge-mount");
mount(app, withTools("bench-forge-child"), { namespace: "m" });

await serveForge(app, { mode: "stateless" });
