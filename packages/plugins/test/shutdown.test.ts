import { describe, expect, it } from "vitest";
import { startHttpChild, tsNode } from "./helpers.js";

const SERVER = new URL("./fixtures/plugin-server.ts", import.meta.url).pathname;

describe("plugins on SIGTERM", () => {
  it("tear down in reverse dependency order when the server shuts down, then it exits 0", async () => {
    const server = await startHttpChild(tsNode(SERVER));
    const exited = new Promise<number | null>((resolve) =>
      server.child.once("exit", (code) => resolve(code)),
    );
    server.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const lines = server
      .stderr()
      .split("\n")
      .filter((l) => /^(teardown|onClose) /.test(l));
    expect(lines).toEqual([
      "teardown reports",
      "onClose reports",
      "teardown database",
      "onClose database",
    ]);
  });
});
