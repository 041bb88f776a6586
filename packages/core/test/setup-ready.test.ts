import { describe, expect, it } from "vitest";
import type { SetupApi } from "../src/authoring.js";
import { createServer } from "../src/index.js";

describe("SetupApi.ready (what readiness probes report)", () => {
  it("is false until every onStart hook finished, true while serving, false once closing starts", async () => {
    const app = createServer({ name: "t", version: "1" });
    let api: SetupApi | undefined;
    const seen: Record<string, boolean> = {};
    app.use({
      setup(a) {
        api = a;
      },
    });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    app.onStart(async () => {
      seen.duringStart = api?.ready === true;
      await held;
    });
    app.onClose(() => {
      seen.duringClose = api?.ready === true;
    });
    seen.beforeListen = api?.ready === true;
    const listening = app.listen({ port: 0 });
    await new Promise((r) => setTimeout(r, 20));
    seen.whileStarting = api?.ready === true;
    release();
    const http = await listening;
    seen.serving = api?.ready === true;
    const closing = http.close();
    seen.draining = api?.ready === true;
    await closing;
    expect(seen).toEqual({
      beforeListen: false,
      duringStart: false,
      whileStarting: false,
      serving: true,
      draining: false,
      duringClose: false,
    });
  });
});
