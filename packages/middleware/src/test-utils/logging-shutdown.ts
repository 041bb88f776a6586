// Child process for logging.test.ts: an HTTP server (stateless) logging to the file given as
// argv[2] with the default (batched) writes, shutting down through core's SIGTERM handling
// (`handleSignals`): in-flight calls are drained, the app closed, the process exits 0. The
// `held` tool prints "in" when called and answers 200 ms later, so the parent can send the
// signal while calls are in flight. Prints the server's URL first.
import { createServer } from "@mcpforge/core";
import { logging } from "../logging/logging.js";

const app = createServer({ name: "child", version: "1" }).use(
  logging({ destination: process.argv[2] }),
);
app.tool("held", { description: "Answers 200 ms later" }, async () => {
  process.stdout.write("in\n");
  await new Promise((resolve) => setTimeout(resolve, 200));
  return "released";
});
const http = await app.listen({ port: 0, mode: "stateless", handleSignals: true });
process.stdout.write(`${http.url}\n`);
