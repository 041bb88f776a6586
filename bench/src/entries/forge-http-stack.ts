/**
 * MCP Forge over Streamable HTTP with the recommended production middleware stack from
 * `@mcpforge/middleware`: `node forge-http-stack.js <stateless|stateful> <apiKey> [observed]`;
 * `observed` puts `telemetry()` (no OpenTelemetry SDK registered) and `health()` (prom-client
 * metrics) in front of the stack. Clients must send the key in `x-api-key`. The limits are set
 * high enough never to refuse the benchmark's load, so every request pays for the checks and
 * none is turned away. Logs go to `/dev/null` as a file destination (every line written, in
 * batches of 20 ms: the default); a `logging()` built from an older revision
 * (`--ref`) that takes no path gets a stream writing each line synchronously to `/dev/null`
 * instead. Answers `{ type: "stats" }` with the `echo` calls served and the process's CPU time
 * so far (µs).
 */
import { openSync, writeSync } from "node:fs";
import { createServer } from "@mcpforge/core";
import { health } from "@mcpforge/health";
import {
  auth,
  concurrency,
  errorMasking,
  logging,
  memoryRateLimitStore,
  rateLimit,
  timeout,
  timing,
  validation,
} from "@mcpforge/middleware";
import { telemetry } from "@mcpforge/telemetry";
import { arg } from "./child.js";
import { modeArg, serveCounted } from "./serve.js";

const mode = modeArg(0);
const apiKey = arg(1, "");
const observed = arg(2, "") === "observed";

// Every log line is really written, but to /dev/null: neither a terminal nor the parent's pipe
// slows it down.
function requestLogging() {
  try {
    return logging({ destination: "/dev/null" });
  } catch {
    const devNull = openSync("/dev/null", "w");
    return logging({ destination: { write: (line: string) => void writeSync(devNull, line) } });
  }
}

const app = createServer({ name: "bench-forge-stack", version: "1.0.0" });
// Tracing and metrics outermost, as a deployment would put them: they see every request.
if (observed) app.use(telemetry()).use(health());
const omit = new Set((process.env.BENCH_STACK_OMIT ?? "").split(","));
const keep = (name: string) => !omit.has(name);
if (keep("errorMasking")) app.use(errorMasking());
if (keep("logging")) app.use(requestLogging());
if (keep("timing")) app.use(timing());
if (keep("auth")) {
  app.use(auth({ apiKeys: { keys: { [apiKey]: { clientId: "bench", scopes: ["mcp"] } } } }));
}
if (keep("rateLimit")) {
  app.use(
    rateLimit({
      store: memoryRateLimitStore(),
      global: { algorithm: "token-bucket", capacity: 1e9, refillPerSecond: 1e9 },
    }),
  );
}
if (keep("validation")) {
  app.use(validation({ default: { maxStringLength: 10_000, maxArgumentBytes: 100_000 } }));
}
if (keep("timeout")) app.use(timeout({ defaultMs: 30_000 }));
if (keep("concurrency")) app.use(concurrency({ max: 1000 }));

await serveCounted(app, mode);
