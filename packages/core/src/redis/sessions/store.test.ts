import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { redisConnection } from "../connection.js";
import { luaScript } from "../lua.js";
import { SessionStore } from "./store.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** How many times Redis has run a command since its statistics were reset (0 if never). */
async function commandCalls(admin: Redis, command: string): Promise<number> {
  const info = await admin.info("commandstats");
  return Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, "m").exec(info)?.[1] ?? 0);
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
    expect(await store.eval(script, [], ["first-"])).toMatch(/^first-/);
    const evals = await commandCalls(admin, "eval");
    const shas = await commandCalls(admin, "evalsha");
    expect(await store.eval(script, [], ["again-"])).toMatch(/^again-/);
    expect(await commandCalls(admin, "evalsha")).toBeGreaterThan(shas);
    expect(await commandCalls(admin, "eval")).toBe(evals);
    // Redis forgets its scripts (a restart, SCRIPT FLUSH): the next call still succeeds.
    await admin.script("FLUSH");
    expect(await store.eval(script, [], ["after-flush-"])).toMatch(/^after-flush-/);
    expect(await store.eval(script, [], ["then-"])).toMatch(/^then-/);
  });

  it("rejects with the script's own error", async () => {
    await expect(
      store.eval(luaScript("return redis.call('NOSUCHCOMMAND')"), [], []),
    ).rejects.toThrow(/Unknown Redis command|unknown command/i);
  });
});
