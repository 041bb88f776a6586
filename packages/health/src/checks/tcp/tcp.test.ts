import { freePort } from "@mcpforge/testing/redis";
import { afterEach, describe, expect, it } from "vitest";
import { entryOf, probedApp } from "../../test-utils/app.js";
import { httpGet } from "../../test-utils/http.js";
import { silentServer } from "../../test-utils/silent-server.js";
import { tcpCheck } from "./tcp.js";

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe("tcpCheck()", () => {
  it("passes when the port accepts, fails when it refuses", async () => {
    const open = await silentServer();
    closers.push(() => open.close());
    const closed = await freePort();
    const s = await probedApp({
      checks: {
        broker: tcpCheck({ host: "127.0.0.1", port: open.port }),
        smtp: tcpCheck({ host: "127.0.0.1", port: closed, critical: false }),
      },
    });
    closers.push(s.close);
    const a = await httpGet(`${s.base}/readyz`);
    expect(a.status).toBe(200); // smtp is not critical: warn
    expect(JSON.parse(a.body).status).toBe("warn");
    expect(entryOf(a.body, "broker:connectTime")).toMatchObject({
      status: "pass",
      observedUnit: "ms",
    });
    expect(entryOf(a.body, "smtp:connectTime")).toMatchObject({ status: "warn" });
    expect(entryOf(a.body, "smtp:connectTime")?.output).toMatch(/ECONNREFUSED/);
  });

  it("checks its options", () => {
    expect(() => tcpCheck({ host: "db", port: 0 })).toThrow("@mcpforge/health: tcpCheck(): port");
    expect(() => tcpCheck({ port: 5432 } as never)).toThrow(/host is required/);
  });
});
