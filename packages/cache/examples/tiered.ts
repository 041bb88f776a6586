// Two instances sharing Redis, each with a memory tier; invalidations travel over pub/sub.
import { randomUUID } from "node:crypto";
import { tieredStore } from "@mcpforge/cache/tiered";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `example:${randomUUID()}:`; // one prefix per application in real life
const instance = () =>
  tieredStore({
    memory: { maxEntries: 5_000, maxBytes: 32 * 1024 * 1024 },
    redis: { url, prefix, commandTimeoutMs: 100 },
    memoryTtlMs: 30_000,
  });

const a = instance();
const b = instance();
console.log("connected:", (await a.connect()) && (await b.connect()));

await a.set("config", { theme: "dark" }, 60_000);
await new Promise((resolve) => setTimeout(resolve, 50)); // let pub/sub deliver
console.log("b reads:", await b.get("config")); // from Redis, then kept in b's memory
await a.set("config", { theme: "light" }, 60_000); // b drops its memory copy
await new Promise((resolve) => setTimeout(resolve, 50));
console.log("b reads after a's update:", await b.get("config"));

await a.clear();
await Promise.all([a.close(), b.close()]);
