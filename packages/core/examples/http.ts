// examples/http.ts — run with: npx tsx examples/http.ts   (Streamable HTTP; PORT overrides 3000)
import { createServer } from "@mcpforge/core";

const app = createServer({ name: "example", version: "1.0.0" });
app.tool("hello", { description: "Says hello" }, () => "hello");
app.route("GET", "/healthz", (_req, res) => res.end("ok"), { public: true });

const http = await app.listen({
  port: Number(process.env.PORT ?? 3000), // 0 picks a free port
  handleSignals: true, // SIGTERM/SIGINT: drain in-flight calls, close, exit 0
});
console.error(`listening on ${http.url}`); // http://127.0.0.1:3000/mcp, stateful sessions
