// Time every operation; log the slow ones. Speaks MCP over stdio.
import { createServer } from "@mcpforge/core";
import { type TimingVars, timing } from "@mcpforge/middleware/timing";

const app = createServer({ name: "timed", version: "1.0.0" })
  .use<Partial<TimingVars>>(async (ctx, next) => {
    const result = await next();
    console.error(`${ctx.method} took ${ctx.var.durationMs} ms`); // stderr: stdout is the protocol
    return result;
  })
  .use(timing({ slowMs: 250 })); // {"level":"warn","msg":"slow operation","method":"tools/call",...}

app.tool("nap", { description: "Sleeps 300 ms" }, async () => {
  await new Promise((r) => setTimeout(r, 300));
  return "rested";
});

await app.run();
