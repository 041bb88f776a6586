import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { node22Path } from "@mcpforge/node22";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, NODE_FLAGS } from "./helpers/cli.js";

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcpforge-inspector-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("mcpforge dev --inspector on Node 22 (the Inspector needs 22.19+)", () => {
  it("starts the MCP Inspector for the dev server", async () => {
    const file = join(dir, "server.ts");
    await writeFile(
      file,
      `import { createServer } from "@mcpforge/core";
const app = createServer({ name: "inspected", version: "1.0.0" });
app.tool("hello", { description: "Says hello" }, () => "hello");
await app.run();
`,
    );
    const node22 = node22Path();
    const webPort = await freePort();
    const sandboxPort = await freePort();
    const child = spawn(node22, [...NODE_FLAGS, BIN, "dev", file, "--inspector"], {
      cwd: dir,
      detached: true, // its own process group: npx, the Inspector and its children go with it
      env: {
        ...process.env,
        PATH: `${dirname(node22)}:${process.env.PATH ?? ""}`, // npx runs the Inspector on Node 22
        CLIENT_PORT: String(webPort),
        MCP_SANDBOX_PORT: String(sandboxPort),
        MCP_AUTO_OPEN_ENABLED: "false",
        MCP_INSPECTOR_SECRET_STORE: "memory",
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const on = (d: Buffer) => {
          out += d.toString();
          const m = out.match(/MCP Inspector Web is up and running at:\s+(http:\/\/\S+)/);
          if (m?.[1]) resolve(m[1]);
        };
        child.stdout?.on("data", on);
        child.stderr?.on("data", on);
        child.once("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      expect(new URL(url).port).toBe(String(webPort));
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/<html/i);
    } finally {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    }
  }, 240_000);
});
