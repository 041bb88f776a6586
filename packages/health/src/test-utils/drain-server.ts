// A server for the SIGTERM test: health() on an admin port, and a tool whose calls stay in
// flight until the process gets SIGUSR2. Prints its URLs as one JSON line on stdout.
import { createServer } from "@mcpforge/core";
import { health } from "../index.js";

let release = () => {};
const released = new Promise<void>((resolve) => {
  release = resolve;
});
process.on("SIGUSR2", () => release());

const mw = health({ adminPort: 0, details: "always" });
const app = createServer({ name: "drain", version: "1.0.0" });
app.use(mw);
app.tool("held", { description: "Answers once the process gets SIGUSR2" }, async () => {
  await released;
  return "released";
});
const http = await app.listen({
  port: 0,
  mode: "stateless",
  handleSignals: true,
  shutdownTimeoutMs: 20_000,
});
process.stdout.write(`${JSON.stringify({ mcp: http.url, admin: mw.adminUrl })}\n`);
