import type { McpError } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type HttpServerHandle } from "../src/index.js";
import { connect } from "./helpers.js";

/** Each payload's traversal, in plain, percent-encoded, double-encoded and mixed-case forms. */
const PAYLOADS = [
  "..%2f..%2fetc%2fpasswd",
  "..%2F..%2Fetc%2Fpasswd",
  "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "%2E%2e%2F%2e%2E%2fetc%2Fpasswd",
  "..%252f..%252fetc%252fpasswd",
  "%252e%252e%252f%252e%252e%252fetc",
  "..%5c..%5cwindows%5cwin.ini",
  "..%5C..%5Cwindows%5Cwin.ini",
  "..%255c..%255cwindows",
  "C%3A%5CWindows%5Cwin.ini",
  "c%3a%5cwindows",
  "C%3A",
  "C%253A%255CWindows",
  "a%00b",
  "a%2500b",
  "%0d%0aSet-Cookie%3a%20x",
  "a%09b",
  "%7f",
  "..",
  "%2e%2e",
  "%252e%252e",
  "a%2Fb",
];

const PATH_PAYLOADS = [
  "a/../b",
  "a/%2e%2e/b",
  "a/%2E%2E/b",
  "a/%252e%252e/b",
  "../etc/passwd",
  "a%5cb",
  "a/%00/b",
  "C:/Windows/win.ini",
];

describe("resource templates are safe by default", () => {
  const calls = { simple: 0, path: 0, segments: 0, raw: 0 };
  const seen: unknown[] = [];
  const app = createServer({ name: "t", version: "1" });
  app.resource("files://{id}", {}, ({ id }) => {
    calls.simple++;
    seen.push(id);
    return `file ${id}`;
  });
  app.resource("file:///{+path}", {}, ({ path }) => {
    calls.path++;
    seen.push(path);
    return `path ${path}`;
  });
  app.resource("tree://root{/seg*}", {}, ({ seg }) => {
    calls.segments++;
    return `segments ${JSON.stringify(seg)}`;
  });
  app.resource("search://{?q}", { unsafeRaw: ["q"] }, ({ q }) => {
    calls.raw++;
    return `raw ${q}`;
  });

  async function refusal(promise: Promise<unknown>): Promise<number | undefined> {
    try {
      await promise;
      return undefined;
    } catch (err) {
      return (err as McpError).code;
    }
  }

  it.each(PAYLOADS)("refuses %s in {id} with -32002, never calling the handler", async (p) => {
    const { client } = await connect(app);
    const before = calls.simple;
    expect(await refusal(client.readResource({ uri: `files://${p}` }))).toBe(-32002);
    expect(calls.simple).toBe(before);
  });

  it.each(PATH_PAYLOADS)("refuses %s in {+path} with -32002", async (p) => {
    const { client } = await connect(app);
    const before = calls.path;
    expect(await refusal(client.readResource({ uri: `file:///${p}` }))).toBe(-32002);
    expect(calls.path).toBe(before);
  });

  it("refuses a traversal among path segments ({/seg*})", async () => {
    const { client } = await connect(app);
    expect(await refusal(client.readResource({ uri: "tree://root/a/%2e%2e/b" }))).toBe(-32002);
    expect(await refusal(client.readResource({ uri: "tree://root/a/..%5c/b" }))).toBe(-32002);
    expect(calls.segments).toBe(0);
    const ok = await client.readResource({ uri: "tree://root/a/b" });
    expect(ok.contents[0]).toMatchObject({ text: 'segments ["a","b"]' });
  });

  it("serves ordinary values, decoded exactly once", async () => {
    const { client } = await connect(app);
    const a = await client.readResource({ uri: "files://report%20v2.txt" });
    expect(a.contents[0]).toMatchObject({ text: "file report v2.txt" });
    const b = await client.readResource({ uri: "file:///docs/intro.md" });
    expect(b.contents[0]).toMatchObject({ text: "path docs/intro.md" });
    const c = await client.readResource({ uri: "files://100%25" });
    expect(c.contents[0]).toMatchObject({ text: "file 100%" });
  });

  it("lets a variable listed in unsafeRaw through unchecked", async () => {
    const { client } = await connect(app);
    const r = await client.readResource({ uri: "search://?q=..%2F..%2Fetc" });
    expect(r.contents[0]).toMatchObject({ text: "raw ../../etc" });
    expect(calls.raw).toBe(1);
  });

  describe("over HTTP", () => {
    let http: HttpServerHandle;
    beforeAll(async () => {
      http = await app.listen({ port: 0, mode: "stateless" });
    });
    afterAll(() => http.close());

    it("answers -32002 and never calls the handler", async () => {
      const before = calls.simple;
      const res = await fetch(http.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "resources/read",
          params: { uri: "files://..%2F..%2Fetc%2Fpasswd" },
        }),
      });
      const body = (await res.json()) as { error: { code: number } };
      expect(body.error.code).toBe(-32002);
      expect(calls.simple).toBe(before);
    });
  });
});
