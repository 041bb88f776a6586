// A verdaccio registry on an ephemeral port, run as a child process by registry.ts:
// `tsx registry-server.ts <config.yaml>` prints `{"port":N}` once it listens, and closes on SIGTERM.
import verdaccio from "verdaccio";

const configPath = process.argv[2];
if (!configPath) throw new Error("usage: registry-server.ts <config.yaml>");
const server = await verdaccio.runServer(configPath);
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
});
