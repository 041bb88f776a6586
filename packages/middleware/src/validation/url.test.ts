import { McpForgeError } from "@mcpforge/core";
import { describe, expect, it } from "vitest";
import { blockedAddressReason, parseIPv6 } from "./ip.js";
import { validateUrl } from "./url.js";

async function refused(url: string, options?: Parameters<typeof validateUrl>[1]) {
  const err = await validateUrl(url, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, url).toBeInstanceOf(McpForgeError);
  expect((err as McpForgeError).kind).toBe("invalid_params");
  return (err as McpForgeError).message;
}

describe("validateUrl", () => {
  it("accepts public http(s) addresses and returns the URL", async () => {
    const url = await validateUrl("https://93.184.216.34/path?q=1");
    expect(url).toBeInstanceOf(URL);
    expect(url.href).toBe("https://93.184.216.34/path?q=1");
    expect((await validateUrl(new URL("http://[2606:4700:4700::1111]:8080/"))).port).toBe("8080");
  });

  it("refuses other schemes and malformed URLs", async () => {
    expect(await refused("ftp://93.184.216.34/")).toContain('the scheme "ftp:" is not allowed');
    expect(await refused("file:///etc/passwd")).toContain("not allowed");
    expect(await refused("javascript:alert(1)")).toContain("not allowed");
    expect(await refused("data:text/plain,hi")).toContain("not allowed");
    expect(await refused("not a url")).toContain("not a valid absolute URL");
    expect(await refused("/relative/path")).toContain("not a valid absolute URL");
  });

  it("refuses private, loopback, link-local and other special IPv4 literals in any spelling", async () => {
    const cases: [string, RegExp][] = [
      ["http://127.0.0.1/", /loopback/],
      ["http://127.1/", /loopback/],
      ["http://2130706433/", /loopback/],
      ["http://0x7f.0.0.1/", /loopback/],
      ["http://017700000001/", /loopback/],
      ["http://10.0.0.5/", /private/],
      ["http://172.16.3.4/", /private/],
      ["http://172.31.255.255/", /private/],
      ["http://192.168.1.1:8080/", /private/],
      ["http://169.254.169.254/latest/meta-data/", /link-local/],
      ["http://0.0.0.0/", /unspecified/],
      ["http://100.64.0.1/", /carrier-grade NAT/],
      ["http://224.0.0.1/", /multicast/],
      ["http://255.255.255.255/", /broadcast/],
    ];
    for (const [url, reason] of cases) expect(await refused(url)).toMatch(reason);
    // Neighbours of the private ranges are public.
    await expect(validateUrl("http://172.32.0.1/")).resolves.toBeInstanceOf(URL);
    await expect(validateUrl("http://11.0.0.1/")).resolves.toBeInstanceOf(URL);
  });

  it("refuses loopback, link-local, unique-local and IPv4-embedding IPv6 literals", async () => {
    const cases: [string, RegExp][] = [
      ["http://[::1]/", /loopback/],
      ["http://[::]/", /unspecified/],
      ["http://[0:0:0:0:0:0:0:1]/", /loopback/],
      ["http://[::ffff:127.0.0.1]/", /loopback/],
      ["http://[::ffff:a00:1]/", /private/],
      ["http://[::127.0.0.1]/", /loopback/],
      ["http://[fe80::1]/", /link-local/],
      ["http://[fd12:3456::1]/", /unique-local/],
      ["http://[fc00::1]/", /unique-local/],
      ["http://[ff02::1]/", /multicast/],
      ["http://[64:ff9b::a9fe:a9fe]/", /link-local/],
      ["http://[2002:c0a8:101::1]/", /private/],
      ["http://[2001:db8::1]/", /documentation/],
    ];
    for (const [url, reason] of cases) expect(await refused(url)).toMatch(reason);
  });

  it("resolves names and refuses ones that point at loopback (localhost via real DNS)", async () => {
    expect(await refused("http://localhost:3000/admin")).toMatch(
      /the host "localhost" resolves to (127\.0\.0\.1|::1), a loopback address/,
    );
    expect(await refused("http://LOCALHOST./")).toMatch(/resolves to .*loopback/);
    expect(await refused("http://api.localhost/")).toMatch(/loopback name/);
  });

  it("applies allowedHosts before any lookup", async () => {
    expect(await refused("http://93.184.216.34/", { allowedHosts: ["example.com"] })).toContain(
      'the host "93.184.216.34" is not in the allowed hosts',
    );
    expect(await refused("http://evil.com/", { allowedHosts: ["*.example.com"] })).toContain(
      "not in the allowed hosts",
    );
    expect(await refused("http://notexample.com/", { allowedHosts: ["*.example.com"] })).toContain(
      "not in the allowed hosts",
    );
    await expect(
      validateUrl("http://93.184.216.34/", { allowedHosts: ["93.184.216.34"] }),
    ).resolves.toBeInstanceOf(URL);
    // Allowed, but still loopback.
    expect(await refused("http://localhost/", { allowedHosts: ["LOCALHOST"] })).toMatch(/loopback/);
    await expect(validateUrl("http://x/", { allowedHosts: "x" as never })).rejects.toThrow(
      /^@mcpforge\/middleware: validateUrl\(\): allowedHosts/,
    );
  });

  it("quotes at most 200 characters of the URL in its message", async () => {
    const message = await refused(`ftp://${"a".repeat(1000)}.com/`);
    expect(message.length).toBeLessThan(400);
  });
});

describe("IP classification", () => {
  it("parses IPv6 forms", () => {
    expect(Array.from(parseIPv6("::1") ?? [])).toEqual([...new Array(15).fill(0), 1]);
    expect(Array.from(parseIPv6("::ffff:1.2.3.4") ?? []).slice(10)).toEqual([
      0xff, 0xff, 1, 2, 3, 4,
    ]);
    expect(parseIPv6("fe80::1%eth0")?.[0]).toBe(0xfe);
    expect(parseIPv6("1.2.3.4")).toBeUndefined();
  });

  it("classifies addresses", () => {
    expect(blockedAddressReason("8.8.8.8")).toBeUndefined();
    expect(blockedAddressReason("2606:4700::1111")).toBeUndefined();
    expect(blockedAddressReason("::ffff:8.8.8.8")).toBeUndefined();
    expect(blockedAddressReason("2002:808:808::1")).toBeUndefined();
    expect(blockedAddressReason("192.168.0.1")).toBe("a private address");
    expect(blockedAddressReason("fec0::1")).toBe("a site-local address");
    expect(blockedAddressReason("2001::1")).toBe("a Teredo tunnel address");
    expect(() => blockedAddressReason("example.com")).toThrow(/Not an IP address/);
  });
});
