import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** A running local registry. */
export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** What verdaccio logged (warnings and errors). */
  log: () => string;
  stop: () => Promise<void>;
}

/**
 * The verdaccio configuration: storage in `dir`; the published names (`@mcpforge/*` and the
 * unscoped ones given) are local only and take anonymous publishes; everything else is
 * proxied from registry.npmjs.org.
 */
export function registryConfig(dir: string, unscoped: readonly string[]): string {
  const local = ['"@mcpforge/*"', ...unscoped.map((name) => JSON.stringify(name))];
  return [
    `storage: ${JSON.stringify(join(dir, "storage"))}`,
    "auth:",
    "  htpasswd:",
    `    file: ${JSON.stringify(join(dir, "htpasswd"))}`,
    "    max_users: -1",
    "uplinks:",
    "  npmjs:",
    "    url: https://registry.npmjs.org/",
    "    timeout: 60s",
    "packages:",
    ...local.flatMap((name) => [`  ${name}:`, "    access: $all", "    publish: $anonymous"]),
    '  "**":',
    "    access: $all",
    "    proxy: npmjs",
    "log: { type: stdout, format: pretty, level: warn }",
    "",
  ].join("\n");
}

/**
 * Starts verdaccio (6.8: the last release that runs on Node 20) on an ephemeral port with its
 * storage and configuration in `dir`; resolves once it answers `/-/ping`.
 *
 * @example
 * const registry = await startRegistry("/tmp/release/registry", ["create-mcpforge"]);
 * try { ... } finally { await registry.stop(); }
 */
export async function startRegistry(
  dir: string,
  unscoped: readonly string[],
): Promise<LocalRegistry> {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, "config.yaml");
  writeFileSync(config, registryConfig(dir, unscoped));
  const script = fileURLToPath(new URL("./registry-server.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, config], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`verdaccio did not start:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /\{"port":(\d+)\}/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`verdaccio exited with ${code}:\n${output}`));
    });
  });
  const url = `http://127.0.0.1:${port}/`;
  const ping = await fetch(`${url}-/ping`);
  if (!ping.ok) throw new Error(`verdaccio at ${url} answers /-/ping with ${ping.status}`);
  return { url, log: () => output, stop: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
