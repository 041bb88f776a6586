import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { openSession, rpc, sseEvents } from "./http-helpers.js";

const fixture = fileURLToPath(new URL("./fixtures/soak-server.ts", import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
});

async function startServer(env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ["--expose-gc", "--conditions=@mcpforge/source", "--import", "tsx", fixture],
    { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] },
  );
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stderr?.on("data", (d: Buffer) => {
      text += d.toString();
      const m = text.match(/listening on (\S+)/);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", () => reject(new Error(`server exited: ${text}`)));
  });
  const heap = async () => {
    const res = await fetch(new URL("/__heap", url));
    return (await res.json()) as {
      heapUsed: number;
      events: { bytes: number; streams: number; released: number };
    };
  };
  return { url, heap };
}

/** `count` streamed answers on each session, a few sessions at a time. */
async function traffic(url: string, sessions: string[], count: number) {
  let id = 1000;
  for (let round = 0; round < count; round++) {
    await Promise.all(
      sessions.map(async (sid) => {
        const r = await rpc(
          url,
          {
            jsonrpc: "2.0",
            id: id++,
            method: "tools/call",
            params: { name: "chatty", arguments: {} },
          },
          { "mcp-session-id": sid },
        );
        const last = sseEvents(r.body)
          .filter((e) => e.data)
          .at(-1);
        if (!last || !JSON.parse(last.data).result) throw new Error(`no final answer: ${r.body}`);
      }),
    );
  }
}

const SESSIONS = 20;
const WARMUP = 20;
const ROUNDS = 300; // 20 sessions × 300 = 6,000 streamed answers
/** Generous: garbage-collector noise, not a leak (the old store kept ~1.3 KB per answer: ~8 MB). */
const BOUND_BYTES = 3 * 1024 * 1024;

describe("event store soak: memory held by resumability stays bounded", () => {
  it(`heap after ${SESSIONS * ROUNDS} streamed answers on long-lived sessions stays within ${BOUND_BYTES / 1048576} MiB of warm-up`, async () => {
    const server = await startServer();
    const sessions: string[] = [];
    for (let i = 0; i < SESSIONS; i++) sessions.push(await openSession(server.url));
    await traffic(server.url, sessions, WARMUP);
    const warm = await server.heap();
    await traffic(server.url, sessions, ROUNDS);
    const after = await server.heap();
    expect(after.events.bytes).toBeLessThan(64 * 1024); // nothing kept once delivered
    expect(after.events.released).toBeGreaterThanOrEqual(SESSIONS * (WARMUP + ROUNDS));
    expect(after.heapUsed - warm.heapUsed).toBeLessThan(BOUND_BYTES);
  }, 180_000);
});
