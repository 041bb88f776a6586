import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { httpGet, until } from "./test-utils/http.js";
import { parseMetrics, value } from "./test-utils/prometheus.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
});

function start(): Promise<{ mcp: string; admin: string }> {
  child = spawn(
    process.execPath,
    ["--conditions=@mcpforge/source", "--import", "tsx", "src/test-utils/drain-server.ts"],
    { cwd: packageDir, stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child?.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) resolve(JSON.parse(line));
    });
    child?.once("exit", (code) => reject(new Error(`server exited early (${code})`)));
  });
}

function call(url: string) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "held", arguments: {} },
    }),
  }).then(async (r) => ({ status: r.status, body: await r.text() }));
}

describe("SIGTERM with calls in flight (a real child process)", () => {
  it("/readyz goes 503 and /healthz stays 200 during the drain; the calls finish; exit 0", async () => {
    const { mcp, admin } = await start();
    const exited = new Promise<number | null>((resolve) => child?.once("exit", resolve));
    expect((await httpGet(`${admin}/readyz`)).status).toBe(200);

    let finished = 0;
    const calls = [call(mcp), call(mcp), call(mcp)].map((p) => p.finally(() => finished++));
    await until(async () => {
      const m = parseMetrics((await httpGet(`${admin}/metrics`)).body);
      return value(m, "mcpforge_requests_in_flight") === 3;
    });

    child?.kill("SIGTERM");
    await until(async () => (await httpGet(`${admin}/readyz`)).status === 503);
    const ready = await httpGet(`${admin}/readyz`);
    expect(JSON.parse(ready.body)).toMatchObject({ status: "fail", output: "shutting down" });
    const live = await httpGet(`${admin}/healthz`);
    expect(live.status).toBe(200);
    const head = await httpGet(`${admin}/readyz`, { method: "HEAD" });
    expect(head.status).toBe(503);
    expect(finished).toBe(0); // still draining: the calls are held until SIGUSR2

    child?.kill("SIGUSR2");
    const answers = await Promise.all(calls);
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body).toContain("released");
    }
    expect(await exited).toBe(0);
  });
});
