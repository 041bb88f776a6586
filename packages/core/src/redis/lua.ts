import { createHash } from "node:crypto";
import type { RedisClientLike } from "./connection.js";

/**
 * A Lua script and its SHA-1, the key of Redis's script cache: made once with
 * {@link luaScript}, run with {@link evalScript}.
 *
 * @example
 * const script: LuaScript = luaScript("return 1");
 * script.sha; // "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"
 */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

/**
 * A {@link LuaScript} of `source`, its SHA-1 computed once.
 *
 * @example
 * const INCR_TO = luaScript("return redis.call('INCRBY', KEYS[1], ARGV[1])");
 */
export function luaScript(source: string): LuaScript {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

/**
 * Runs a script by its SHA-1 (`EVALSHA`), sending its source (`EVAL`, which caches it) only
 * when Redis does not have it — after a restart, a fail-over or `SCRIPT FLUSH`. Any other
 * error rejects as it is.
 *
 * @example
 * import { Redis } from "ioredis";
 * const client = new Redis("redis://127.0.0.1:6379");
 * const INCR_TO = luaScript("return redis.call('INCRBY', KEYS[1], ARGV[1])");
 * await evalScript(client, INCR_TO, ["counter"], [5]); // the new value
 */
export async function evalScript(
  client: RedisClientLike,
  script: LuaScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await client.call("EVALSHA", script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
    return client.call("EVAL", script.source, keys.length, ...keys, ...args);
  }
}
