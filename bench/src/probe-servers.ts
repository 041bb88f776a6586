/**
 * The servers the steering probes (`pnpm icount`, `pnpm alloc`) run, by name, and how they
 * drive one: sequential `echo` calls over keep-alive connections, stateful servers with one
 * session per connection. Not a load generator for figures (that is `load.ts`): it only has to
 * make the same calls every time.
 */
import { Agent, request } from "node:http";
import { buildArtifacts } from "./build.js";
import { openSessions } from "./load.js";
import { POST_HEADERS } from "./mcp-http.js";

const API_KEY = "bench-api-key-0123456789abcdef";

/** A compiled entry and what a client must send it. */
export interface ProbeServer {
  entry: string;
  args: string[];
  stateful?: boolean;
  headers?: Record<string, string>;
  conns?: number;
}

/**
 * The servers by name: `stateless`, `stateless64` (64 connections), `stateful`, `floor`,
 * `stack`, `observed` (stack + telemetry + health), `health`, `healthNone`, `telemetry` (no
 * OTel SDK) and `telemetryNone`.
 *
 * @example
 * const server = probeServer("stack"); // { entry: "forge-http-stack", ... }
 */
export const PROBE_SERVERS: Readonly<Record<string, ProbeServer>> = {
  stateless: { entry: "forge-http", args: ["stateless"] },
  stateless64: { entry: "forge-http", args: ["stateless"], conns: 64 },
  stateful: { entry: "forge-http", args: ["stateful"], stateful: true },
  floor: { entry: "floor-http", args: [] },
  stack: {
    entry: "forge-http-stack",
    args: ["stateless", API_KEY],
    headers: { "x-api-key": API_KEY },
  },
  observed: {
    entry: "forge-http-stack",
    args: ["stateless", API_KEY, "observed"],
    headers: { "x-api-key": API_KEY },
  },
  health: { entry: "forge-http-health", args: ["stateless", "health"] },
  healthNone: { entry: "forge-http-health", args: ["stateless", "none"] },
  telemetry: { entry: "forge-http-telemetry", args: ["stateless", "api"] },
  telemetryNone: { entry: "forge-http-telemetry", args: ["stateless", "none"] },
};

/**
 * The server named `name`; throws, listing the names, for an unknown one.
 *
 * @example
 * const server = probeServer("stateless");
 */
export function probeServer(name: string): ProbeServer {
  const server = PROBE_SERVERS[name];
  if (!server) {
    throw new Error(`unknown server "${name}" (${Object.keys(PROBE_SERVERS).join(", ")})`);
  }
  return server;
}

/**
 * A numeric `--name=N` command-line option, or `fallback`.
 *
 * @example
 * const calls = option("calls", 2000);
 */
export function option(name: string, fallback: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
}

/** What a probe's command line asks for. */
export interface ProbeRun {
  names: string[];
  calls: number;
  warm: number;
  conns: number;
}

/**
 * Reads a probe's command line — server names (default `fallback`), `--calls` (default
 * `defaultCalls`), `--warm` (10,000), `--conns` (16) — and builds the artifacts, from
 * `--ref=REV` when given.
 *
 * @example
 * const { names, calls, warm, conns } = await probeRun(["stateless", "stack"], 5000);
 */
export async function probeRun(
  fallback: readonly string[],
  defaultCalls: number,
): Promise<ProbeRun> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const refArg = process.argv.find((a) => a.startsWith("--ref="));
  await buildArtifacts(refArg?.slice(6));
  return {
    names: names.length > 0 ? names : [...fallback],
    calls: option("calls", defaultCalls),
    warm: option("warm", 10000),
    conns: option("conns", 16),
  };
}

let nextId = 1;

/** `total` echo calls over `conns` keep-alive connections; every answer must be 200. */
async function drive(
  url: string,
  total: number,
  conns: number,
  headersFor: (i: number) => Record<string, string>,
): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: conns });
  let left = total;
  const loop = async (i: number) => {
    const headers = { ...POST_HEADERS, ...headersFor(i) };
    while (left > 0) {
      left--;
      const body = `{"jsonrpc":"2.0","id":${nextId++},"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}`;
      await new Promise<void>((resolve, reject) => {
        const req = request(url, { method: "POST", agent, headers }, (res) => {
          res.resume();
          res.on("end", () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`)),
          );
        });
        req.on("error", reject);
        req.end(body);
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: conns }, (_, i) => loop(i)));
  } finally {
    agent.destroy();
  }
}

/**
 * A driver for the server at `url`: `calls(n)` makes `n` `echo` calls over the server's
 * connections (`conns` unless the server sets its own), with its headers and, for a stateful
 * server, the session of each connection (opened here).
 *
 * @example
 * const calls = await driver(probeServer("stateful"), url, 16);
 * await calls(10_000);
 */
export async function driver(
  server: ProbeServer,
  url: string,
  conns: number,
): Promise<(total: number) => Promise<void>> {
  const c = server.conns ?? conns;
  const sessions = server.stateful ? await openSessions(url, c, 4) : [];
  const headersFor = (i: number) => ({
    ...server.headers,
    ...(server.stateful ? { "mcp-session-id": sessions[i] as string } : {}),
  });
  return (total) => drive(url, total, c, headersFor);
}
