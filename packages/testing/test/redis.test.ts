// Real Redis (REDIS_URL, default redis://127.0.0.1:6379) and a real redis-server child: no mocks.
import { type AddressInfo, createServer as createNetServer, Socket } from "node:net";
import { describe, expect, it } from "vitest";
import {
  connectRedis,
  deletePrefix,
  freePort,
  REDIS_URL,
  randomPrefix,
  redisServer,
  requireRedis,
} from "../src/redis.js";

/** Whether a TCP connection to 127.0.0.1:`port` is accepted. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.connect(port, "127.0.0.1");
  });
}

describe("@mcpforge/testing/redis", () => {
  it("requireRedis passes against the test Redis and names the URL and REDIS_URL when it fails", async () => {
    await expect(requireRedis()).resolves.toBeUndefined();
    const nowhere = `redis://127.0.0.1:${await freePort()}`;
    const failure = requireRedis(nowhere);
    await expect(failure).rejects.toThrow(nowhere);
    await expect(failure).rejects.toThrow(/set REDIS_URL/);
  });

  it("randomPrefix is unique and carries the label", () => {
    const a = randomPrefix("unit");
    const b = randomPrefix("unit");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^mcpforge-test:unit:[0-9a-f-]{36}:$/);
  });

  it("deletePrefix removes the keys under its prefix and nothing else", async () => {
    const prefix = randomPrefix("delete");
    const neighbour = `${prefix.slice(0, -1)}x:keep`; // shares every character but the last
    const redis = await connectRedis();
    try {
      await redis.mset(`${prefix}a`, "1", `${prefix}b:c`, "2", neighbour, "3");
      expect(await deletePrefix(prefix)).toBe(2);
      expect(await redis.exists(`${prefix}a`, `${prefix}b:c`)).toBe(0);
      expect(await redis.get(neighbour)).toBe("3");
      await expect(deletePrefix("")).rejects.toThrow(/non-empty prefix/);
    } finally {
      await redis.del(neighbour);
      redis.disconnect();
    }
  });

  it("redisServer starts a private redis-server that answers PING, stops, and restarts empty", async () => {
    const server = await redisServer();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(server.url).not.toBe(REDIS_URL);
    expect(await accepts(server.port)).toBe(false); // not started yet
    try {
      await server.start();
      const client = await connectRedis(server.url);
      try {
        expect(await client.ping()).toBe("PONG");
        await client.set("k", "v");
      } finally {
        client.disconnect();
      }

      await server.stop();
      expect(await accepts(server.port)).toBe(false);
      await expect(connectRedis(server.url)).rejects.toThrow(server.url);

      await server.start(); // same port, nothing persisted
      const again = await connectRedis(server.url);
      try {
        expect(await again.get("k")).toBeNull();
      } finally {
        again.disconnect();
      }
      await server.stop("SIGTERM");
      expect(await accepts(server.port)).toBe(false);
    } finally {
      await server.stop();
    }
  });

  it("redisServer.start says why redis-server cannot start", async () => {
    // A port this test holds itself: never the REDIS_URL port, where a missing Redis would let a
    // stray redis-server start (and outlive the run).
    const held: Socket[] = [];
    const holder = createNetServer((socket) => held.push(socket)); // accepts, never answers
    await new Promise<void>((r) => holder.listen(0, "127.0.0.1", r));
    const heldPort = (holder.address() as AddressInfo).port;
    try {
      const taken = await redisServer(heldPort);
      await expect(taken.start()).rejects.toThrow(/port \d+ is already in use/);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((r) => holder.close(r));
    }

    const server = await redisServer();
    const path = process.env.PATH;
    process.env.PATH = ""; // no redis-server to run
    try {
      await expect(server.start()).rejects.toThrow(/could not run redis-server .*ENOENT/);
    } finally {
      process.env.PATH = path;
    }
    await server.start(); // a failed start leaves it stopped, not stuck
    await server.stop();
    await expect(redisServer(70_000)).rejects.toThrow(/bad port 70000/);
  });
});
