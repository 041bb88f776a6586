import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientIp, normalizeIp, type TrustProxy } from "./client-key.js";

describe("normalizeIp", () => {
  it("spells each address one way", () => {
    expect(normalizeIp("192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeIp(" 192.0.2.1:8080 ")).toBe("192.0.2.1");
    expect(normalizeIp("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeIp("2001:DB8::1")).toBe("2001:db8::1");
    expect(normalizeIp("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(normalizeIp('"[2001:db8:cafe::17]:4711"')).toBe("2001:db8:cafe::17");
    expect(normalizeIp("fe80::1%eth0")).toBe("fe80::1");
  });

  it("refuses what is not an address", () => {
    for (const bad of ["unknown", "_hidden", "", "example.com", "1.2.3", "999.1.1.1", undefined]) {
      expect(normalizeIp(bad)).toBeUndefined();
    }
  });
});

describe("clientIp (on a real HTTP server)", () => {
  let url = "";
  const server = createServer((req: IncomingMessage, res) => {
    const trust = new URL(req.url ?? "/", "http://x").searchParams.get("trust") ?? "false";
    const trustProxy: TrustProxy =
      trust === "true" ? true : trust === "false" ? false : Number(trust);
    res.end(JSON.stringify({ ip: clientIp(req, trustProxy) ?? null }));
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function ipFor(trust: TrustProxy, headers: Record<string, string> = {}) {
    const res = await fetch(`${url}?trust=${trust}`, { headers });
    return ((await res.json()) as { ip: string | null }).ip;
  }

  it("uses the socket address and ignores proxy headers by default", async () => {
    const headers = { "x-forwarded-for": "203.0.113.9", forwarded: "for=198.51.100.1" };
    expect(await ipFor(false, headers)).toBe("127.0.0.1");
    expect(await ipFor(0, headers)).toBe("127.0.0.1");
  });

  it("with trustProxy: true takes the left-most forwarded address", async () => {
    expect(await ipFor(true, { "x-forwarded-for": "203.0.113.9, 10.0.0.2" })).toBe("203.0.113.9");
    expect(await ipFor(true, { "x-forwarded-for": "unknown, 10.0.0.2" })).toBe("10.0.0.2");
    expect(await ipFor(true)).toBe("127.0.0.1");
  });

  it("with a hop count takes the address the outermost trusted proxy saw", async () => {
    const xff = { "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.0.0.2" };
    expect(await ipFor(1, xff)).toBe("10.0.0.2");
    expect(await ipFor(2, xff)).toBe("203.0.113.9");
    expect(await ipFor(3, xff)).toBe("6.6.6.6");
    expect(await ipFor(10, xff)).toBe("6.6.6.6");
    // A forged left part does not change what one trusted proxy appended.
    expect(await ipFor(1, { "x-forwarded-for": "1.1.1.1, 10.0.0.2" })).toBe("10.0.0.2");
  });

  it("reads Forwarded (RFC 7239) when there is no X-Forwarded-For", async () => {
    const forwarded = {
      forwarded: 'for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8:cafe::17]:4711"',
    };
    expect(await ipFor(true, forwarded)).toBe("192.0.2.60");
    expect(await ipFor(1, forwarded)).toBe("2001:db8:cafe::17");
    expect(await ipFor(1, { forwarded: "for=_hidden" })).toBe("127.0.0.1");
  });
});
