import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const EXAMPLES = ["quick-start", "otlp"];

function runExample(name: string, env: Record<string, string> = {}) {
  return run(
    process.execPath,
    ["--conditions=@mcpforge/source", "--import", "tsx", `examples/${name}.ts`],
    { cwd: packageDir, timeout: 30_000, env: { ...process.env, ...env } },
  );
}

/** A stand-in OTLP/HTTP collector on an ephemeral loopback port: keeps what is posted. */
let collector: Server;
let collectorUrl = "";
const received: { path: string; body: string }[] = [];

beforeAll(async () => {
  collector = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    req.on("end", () => {
      received.push({ path: req.url ?? "", body });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => collector.close(resolve)));

describe("README examples", () => {
  it.each(EXAMPLES)("the README shows examples/%s.ts unchanged", async (name) => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const code = await readFile(new URL(`../examples/${name}.ts`, import.meta.url), "utf8");
    expect(readme).toContain(`\`\`\`ts\n// examples/${name}.ts\n${code}\`\`\``);
  });

  it("examples/quick-start.ts traces the call under the caller's trace, with a child span", async () => {
    const { stdout } = await runExample("quick-start");
    const trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    const server = new RegExp(
      `^tools/call get_weather \\(SERVER\\) trace ${trace} span ([0-9a-f]{16}) parent 00f067aa0ba902b7$`,
      "m",
    ).exec(stdout);
    expect(server).not.toBeNull();
    expect(stdout).toMatch(
      new RegExp(
        `^forecast lookup \\(INTERNAL\\) trace ${trace} span [0-9a-f]{16} parent ${server?.[1]}$`,
        "m",
      ),
    );
    expect(stdout).toMatch(/'gen_ai\.tool\.name': 'get_weather'/);
    expect(stdout).toMatch(/'mcp\.method\.name': 'tools\/call'/);
  });

  it("examples/otlp.ts exports spans and metrics to an OTLP collector", async () => {
    const { stdout } = await runExample("otlp", { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl });
    expect(stdout).toContain("Paris: sunny");
    const traces = received
      .filter((r) => r.path === "/v1/traces")
      .map((r) => r.body)
      .join("");
    const metrics = received
      .filter((r) => r.path === "/v1/metrics")
      .map((r) => r.body)
      .join("");
    expect(traces).toContain('"tools/call get_weather"');
    expect(traces).toContain('"weather-mcp"');
    expect(metrics).toContain('"mcp.server.operation.duration"');
  });

  it("examples/otlp.ts survives an unreachable collector: exit 0, a note on stderr", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve)); // nothing listens there now
    const { stdout, stderr } = await runExample("otlp", {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_TIMEOUT: "2000",
    });
    expect(stdout).toContain("Paris: sunny");
    expect(stdout).toContain(`closed; telemetry went to http://127.0.0.1:${port}`);
    expect(stderr).toMatch(/telemetry not exported: .*ECONNREFUSED/);
  });
});
