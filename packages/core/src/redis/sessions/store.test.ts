import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { redisConnection } from "../connection.js";
import { type LuaScript, luaScript } from "../lua.js";
import { SessionStore } from "./store.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Watches, on a MONITOR connection, how Redis is asked to run `script`: `EVAL` with its source or
 * `EVALSHA` with its SHA-1, in order. Only this script's commands are kept, so other test files
 * using Redis at the same time do not show up. `settled()` waits until every command sent before
 * it has been seen.
 */
async function watchScript(admin: Redis, script: LuaScript) {
  const seen: string[] = [];
  const markers = new Map<string, () => void>();
  const monitor = await admin.monitor();
  monitor.on("monitor", (_time: string, args: string[]) => {
    const [command = "", first] = args.map(String);
    const name = command.toLowerCase();
    if (name === "echo" && first !== undefined) markers.get(first)?.();
    else if (name === "evalsha" && first === script.sha) seen.push("evalsha");
    else if (name === "eval" && first === script.source) seen.push("eval");
  });
  let n = 0;
  return {
    seen,
    /** Resolves once the monitor has passed every command Redis ran before this call. */
    async settled(): Promise<void> {
      const marker = `store-test-marker-${process.pid}-${n++}`;
      const passed = new Promise<void>((resolve) => markers.set(marker, resolve));
      await admin.echo(marker);
      await passed;
    },
    stop: () => monitor.disconnect(),
  };
}

describe("SessionStore.eval() (evalScript)", () => {
  const admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const conn = redisConnection({ url: REDIS_URL, owner: "store test", connectTimeoutMs: 2000 });
  const store = new SessionStore(conn, `mcpforge-test:store:${process.pid}:`, 2000);
  // A script of this test's own: its SHA-1 is in no other test's way.
  const script = luaScript(`return ARGV[1] .. '${process.pid}-${Date.now()}'`);
  afterAll(async () => {
    await conn.close();
    admin.disconnect();
  });

  it("runs a script by its SHA-1, and sends the script again when Redis has lost it", async () => {
    await admin.connect();
    const watch = await watchScript(admin, script);
    try {
      expect(await store.eval(script, [], ["first-"])).toMatch(/^first-/);
      await watch.settled();
      const first = watch.seen.length;
      // Known to Redis now: one EVALSHA, no source sent.
      expect(await store.eval(script, [], ["again-"])).toMatch(/^again-/);
      await watch.settled();
      expect(watch.seen.slice(first)).toEqual(["evalsha"]);
      // Redis forgets its scripts (a restart, SCRIPT FLUSH): the next call still succeeds, by
      // sending the source once, and the one after is by SHA-1 again.
      await admin.script("FLUSH");
      expect(await store.eval(script, [], ["after-flush-"])).toMatch(/^after-flush-/);
      expect(await store.eval(script, [], ["then-"])).toMatch(/^then-/);
      await watch.settled();
      expect(watch.seen.slice(first + 1)).toEqual(["evalsha", "eval", "evalsha"]);
    } finally {
      watch.stop();
    }
  });

  it("rejects with the script's own error", async () => {
    await expect(
      store.eval(luaScript("return redis.call('NOSUCHCOMMAND')"), [], []),
    ).rejects.toThrow(/Unknown Redis command|unknown command/i);
  });
});
