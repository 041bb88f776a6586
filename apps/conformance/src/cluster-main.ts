import { redisSessions } from "@mcpforge/core/redis";
import { createConformanceServer } from "./server.js";

// One instance of a cluster: the conformance server with its sessions in Redis, so that any
// instance behind a plain round-robin load balancer serves any request of any session.
// PORT, REDIS_URL, SESSION_PREFIX (shared by the instances), INSTANCE (a name), LEASE_MS.
const instance = process.env.INSTANCE ?? String(process.pid);
const app = createConformanceServer();

app.tool(
  "cluster_where",
  { description: "Names the instance that runs this call" },
  () => instance,
);

app.tool(
  "cluster_slow",
  { description: "Reports progress (naming its instance) until cancelled" },
  async (_args, ctx) => {
    for (let i = 0; !ctx.signal.aborted; i++) {
      await ctx.progress(i, undefined, instance);
      await new Promise((r) => setTimeout(r, 200));
    }
    return "cancelled";
  },
);

const extra = app.tool("cluster_extra", { description: "Disabled by cluster_toggle" }, () => "x");
app.tool("cluster_toggle", { description: "Toggles cluster_extra (list_changed)" }, () => {
  if (extra.enabled) extra.disable();
  else extra.enable();
  return "toggled";
});

const http = await app.listen({
  port: Number(process.env.PORT ?? 3000),
  handleSignals: true,
  sessions: redisSessions({
    url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    prefix: process.env.SESSION_PREFIX ?? "mcpforge:conformance:",
    leaseMs: Number(process.env.LEASE_MS ?? 3000),
  }),
});
process.stderr.write(`cluster instance ${instance} listening on ${http.url}\n`);
