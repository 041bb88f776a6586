import * as z from "zod";
import {
  createServer,
  type HttpServerHandle,
  type ListenOptions,
  type McpForgeApp,
} from "../../src/index.js";
import { redisSessions } from "../../src/redis/index.js";

/** Events the instances of one test process record (handlers aborted, where calls ran). */
export interface Trace {
  aborted: string[];
  ranOn: string[];
}

/** One instance of the test cluster: the same app on its own port, sessions in Redis. */
export function clusterApp(name: string, trace: Trace): McpForgeApp {
  const app = createServer({ name: "cluster", version: "1.0.0" });
  app.useHttp((req) => {
    const user = req.headers["x-user"];
    if (typeof user === "string")
      req.auth = { token: "t", clientId: "test", scopes: [], extra: { subject: user } };
  });
  app.tool("where", { description: "Which instance runs this call" }, () => name);
  app.tool("ask", { description: "Samples the client" }, async (_a, ctx) => {
    trace.ranOn.push(name);
    const r = await ctx.sample("hi");
    return `sampled: ${(r.content as { text: string }).text}`;
  });
  app.tool("form", { description: "Elicits a name" }, async (_a, ctx) => {
    const r = await ctx.elicit("Your name?", z.object({ name: z.string() }));
    return `${r.action}: ${JSON.stringify(r.content)}`;
  });
  app.tool("chatty", { description: "Logs and reports progress" }, async (_a, ctx) => {
    await ctx.log.info("info line");
    await ctx.log.error("error line");
    await ctx.progress(1, 2, "half");
    await ctx.progress(2, 2, "done");
    return "chatted";
  });
  app.tool(
    "remember",
    { description: "Stores a value in the session state", input: { value: z.string() } },
    ({ value }, ctx) => {
      ctx.session.state.set("value", value);
      return "ok";
    },
  );
  app.tool("recall", { description: "Reads the session state" }, (_a, ctx) =>
    String(ctx.session.state.get("value") ?? "nothing"),
  );
  const extra = app.tool("extra", { description: "Toggled at runtime" }, () => "extra");
  app.tool("toggle", { description: "Disables the extra tool (list_changed)" }, () => {
    extra.disable();
    return "toggled";
  });
  app.resource("test://watched", { description: "Watched" }, () => "watched");
  app.tool("touch", { description: "Updates the watched resource" }, () => {
    app.notifyResourceUpdated("test://watched");
    return "touched";
  });
  app.tool("slow", { description: "Runs until cancelled" }, async (_a, ctx) => {
    trace.ranOn.push(name);
    await ctx.progress(0, 1, "started");
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    trace.aborted.push(name);
    return "stopped";
  });
  return app;
}

/** Starts one instance per name, sharing the sessions under `prefix` (lease 1.5 s). */
export async function startCluster(
  names: readonly string[],
  prefix: string,
  trace: Trace,
  url: string,
  listen: Pick<ListenOptions, "shutdownTimeoutMs"> = {},
): Promise<HttpServerHandle[]> {
  const handles: HttpServerHandle[] = [];
  for (const name of names) {
    handles.push(
      await clusterApp(name, trace).listen({
        ...listen,
        port: 0,
        sessions: redisSessions({ url, prefix, leaseMs: 1500 }),
      }),
    );
  }
  return handles;
}
