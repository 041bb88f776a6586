import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { entryOf, probedApp } from "../../test-utils/app.js";
import { httpGet } from "../../test-utils/http.js";
import { silentServer } from "../../test-utils/silent-server.js";
import { httpCheck } from "./http.js";

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const seen: string[] = [];

async function dependency(status: () => number): Promise<string> {
  const server: Server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? "");
    res.writeHead(status(), { "content-type": "text/plain" }).end(req.method);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closers.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/status`;
}

describe("httpCheck()", () => {
  it("passes on the expected status and fails (503) on another, without showing the URL", async () => {
    let status = 200;
    const url = await dependency(() => status);
    const s = await probedApp({
      intervalMs: 0,
      checks: {
        api: httpCheck({
          url: url.replace("http://", "http://user:hunter2@"),
          expectStatus: [200, 204],
        }),
      },
    });
    closers.push(s.close);
    const ok = await httpGet(`${s.base}/readyz`);
    expect(ok.status).toBe(200);
    expect(entryOf(ok.body, "api:responseTime")).toMatchObject({
      status: "pass",
      observedUnit: "ms",
    });
    expect(seen.at(-1)).toBe(`Basic ${Buffer.from("user:hunter2").toString("base64")}`);
    status = 500;
    const down = await httpGet(`${s.base}/readyz`);
    expect(down.status).toBe(503);
    expect(entryOf(down.body, "api:responseTime")?.output).toBe("HTTP 500, expected 200 or 204");
    expect(down.body).not.toContain("hunter2");
    expect(down.body).not.toContain(url);
  });

  it("a dependency that accepts and never answers: times out, the probe answers", async () => {
    const hung = await silentServer();
    closers.push(() => hung.close());
    const s = await probedApp({
      timeoutMs: 150,
      checks: { api: httpCheck({ url: `http://127.0.0.1:${hung.port}/` }) },
    });
    closers.push(s.close);
    const a = await httpGet(`${s.base}/readyz`, { timeoutMs: 10_000 });
    expect(a.status).toBe(503);
    expect(entryOf(a.body, "api:responseTime")?.output).toBe("timed out after 150 ms");
  });

  it("checks its options", () => {
    expect(() => httpCheck({ url: "ftp://x" })).toThrow(
      "@mcpforge/health: httpCheck(): url must be an absolute http: or https: URL",
    );
    expect(() => httpCheck({ url: "http://x", expectStatus: 700 })).toThrow(/expectStatus/);
  });
});
