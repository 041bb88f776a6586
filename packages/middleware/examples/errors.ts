// Unexpected errors masked behind a correlation id. Speaks MCP over stdio.
import { createServer } from "@mcpforge/core";
import { errorMasking } from "@mcpforge/middleware/errors";

class NotFound extends Error {
  override name = "NotFound";
}

const app = createServer({ name: "masked", version: "1.0.0" }).use(
  errorMasking({
    expose: (err) => err instanceof NotFound || (err instanceof Error && err.name === "ToolError"),
    onError: (err, ctx, correlationId) =>
      console.error(JSON.stringify({ correlationId, method: ctx.method, error: String(err) })),
  }),
);

app.tool("find", { description: "Finds nothing" }, () => {
  throw new NotFound("no such order"); // the client sees "no such order"
});
app.tool("crash", { description: "Crashes" }, () => {
  throw new Error("db password wrong"); // the client sees "Internal error (correlation id: …)"
});

await app.run();
