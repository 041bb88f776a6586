import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { openSession, rpc } from "./http-helpers.js";

const fixture = fileURLToPath(new URL("./fixtures/http-server.ts", import.meta.url));
// tsx as a loader in the server's own process (not the tsx CLI, which runs the script in a
// second process and relays signals to it): the signals the test sends reach the server itself.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;

async function startServer(): Promise<{
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}> {
  const child = spawn(process.execPath, ["--import", tsxLoader, fixture, "--transport", "http"], {
    env: { ...process.env, PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let stderr = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listen line: ${stderr}`)), 15_000);
    child.stderr?.on("data", (d) => {
      stderr += d;
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return { child, url, exited };
}

const call = (id: number, ms: number) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name: "wait", arguments: { ms } },
});

describe("HTTP server process", () => {
  it("on SIGTERM finishes in-flight calls, then exits 0", async () => {
    const s = await startServer();
    const sid = await openSession(s.url);
    const inflight = rpc(s.url, call(2, 400), { "mcp-session-id": sid });
    await new Promise((r) => setTimeout(r, 100));
    s.child.kill("SIGTERM");
    const r = await inflight;
    expect(JSON.parse(r.body).result.content[0].text).toBe("waited");
    expect(await s.exited).toBe(0);
  });

  it("exits at once on a second signal", async () => {
    const s = await startServer();
    const sid = await openSession(s.url);
    void rpc(s.url, call(2, 60_000), { "mcp-session-id": sid }).catch(() => {});
    await new Promise((r) => setTimeout(r, 100));
    const t = Date.now();
    s.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 100));
    s.child.kill("SIGINT");
    expect(await s.exited).toBe(1);
    expect(Date.now() - t).toBeLessThan(3000);
  });
});
