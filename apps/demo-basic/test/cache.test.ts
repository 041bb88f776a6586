import { createTestClient, type TestClient } from "@mcpforge/testing";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDemoServer } from "../src/server.js";

const CACHE = "dev.mcpforge/cache";

type Meta = { _meta?: Record<string, unknown> };
const cacheMeta = (result: Meta) =>
  result._meta?.[CACHE] as { hit: boolean; ageMs: number } | undefined;

let client: TestClient;

beforeEach(async () => {
  client = await createTestClient(createDemoServer());
});

afterEach(async () => {
  await client.close();
});

describe("nth_prime (cached tool)", () => {
  it("computes the first time and answers the second call from the cache", async () => {
    const first = await client.callToolRaw("nth_prime", { n: 10_000 });
    expect(first.isError).toBeFalsy();
    expect(first.structuredContent).toMatchObject({ n: 10_000, prime: 104_729 });
    expect(cacheMeta(first)).toBeUndefined();

    const second = await client.callToolRaw("nth_prime", { n: 10_000 });
    expect(cacheMeta(second)).toEqual({ hit: true, ageMs: expect.any(Number) });
    // The very same answer, computeMs included: the computation did not run again.
    expect(second.structuredContent).toEqual(first.structuredContent);
    expect(second.content).toEqual(first.content);
  });

  it("caches each n separately", async () => {
    await client.callToolRaw("nth_prime", { n: 5 });
    const other = await client.callToolRaw("nth_prime", { n: 6 });
    expect(other.structuredContent).toMatchObject({ n: 6, prime: 13 });
    expect(cacheMeta(other)).toBeUndefined();
    expect(cacheMeta(await client.callToolRaw("nth_prime", { n: 5 }))?.hit).toBe(true);
  });

  it("shares the cache between sessions of the same (anonymous) caller", async () => {
    const app = createDemoServer();
    await using a = await createTestClient(app);
    await using b = await createTestClient(app);
    await a.callToolRaw("nth_prime", { n: 1000 });
    const fromB = await b.callToolRaw("nth_prime", { n: 1000 });
    expect(fromB.structuredContent).toMatchObject({ prime: 7919 });
    expect(cacheMeta(fromB)?.hit).toBe(true);
  });

  it("never caches invalid arguments", async () => {
    for (let i = 0; i < 2; i++) {
      const bad = await client.callToolRaw("nth_prime", { n: 0 });
      expect(bad.isError).toBe(true);
      expect(cacheMeta(bad)).toBeUndefined();
    }
  });

  it("does not cache the other tools", async () => {
    await client.callToolRaw("greet", { name: "Ada" });
    expect(cacheMeta(await client.callToolRaw("greet", { name: "Ada" }))).toBeUndefined();
  });
});

describe("data://primes/{n} (cached resource)", () => {
  it("reads the n-th prime as JSON; the second read is a cache hit", async () => {
    const first = await client.readResource("data://primes/1000");
    expect(first.contents).toHaveLength(1);
    expect(first.contents[0]).toMatchObject({
      uri: "data://primes/1000",
      mimeType: "application/json",
    });
    expect(JSON.parse((first.contents[0] as { text: string }).text)).toEqual({
      n: 1000,
      prime: 7919,
    });
    expect(cacheMeta(first)).toBeUndefined();

    const second = await client.readResource("data://primes/1000");
    expect(cacheMeta(second)).toEqual({ hit: true, ageMs: expect.any(Number) });
    expect(second.contents).toEqual(first.contents);
  });

  it("refuses an n out of range, and does not cache the error", async () => {
    for (let i = 0; i < 2; i++) {
      const err = await client.readResource("data://primes/0").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(McpError);
      expect((err as McpError).code).toBe(-32602);
    }
  });

  it("does not cache the other resources", async () => {
    await client.readResource("data://user_profiles/ada_l");
    expect(cacheMeta(await client.readResource("data://user_profiles/ada_l"))).toBeUndefined();
  });
});
