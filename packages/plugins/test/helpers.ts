import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createServer, type McpForgeApp, type ServerLogger } from "@mcpforge/core";

/** A logger that keeps lines in memory (for assertions) instead of writing to stderr. */
export function memoryLogger(): ServerLogger & {
  lines: { level: string; msg: string; fields?: Record<string, unknown> }[];
} {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push({ level, msg, ...(fields ? { fields } : {}) });
  };
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** A fresh app with an in-memory logger. */
export function testApp(name = "host"): McpForgeApp & { log: ReturnType<typeof memoryLogger> } {
  const log = memoryLogger();
  const app = createServer({ name, version: "1.0.0", logger: log });
  return Object.assign(app, { log });
}

const tsxUrl = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;

/** Node arguments that run a TypeScript file with workspace packages from source. */
export function tsNode(file: string): string[] {
  return ["--conditions=@mcpforge/source", "--import", tsxUrl, file];
}

/** apps/demo-basic's entry point. */
export const DEMO_MAIN = fileURLToPath(
  new URL("../../../apps/demo-basic/src/main.ts", import.meta.url),
);

/** The fixture backend (an MCP Forge server with tools that exercise the proxy). */
export const FIXTURE_BACKEND = fileURLToPath(new URL("./fixtures/backend.ts", import.meta.url));

/** server-everything's entry point (the npm package, a dev dependency). */
export const EVERYTHING_MAIN = createRequire(import.meta.url).resolve(
  "@modelcontextprotocol/server-everything/dist/index.js",
);

/** A server started as a child process over HTTP, and how to stop it. */
export interface HttpChild {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  stderr(): string;
  kill(): Promise<void>;
}

/**
 * Starts `node <args> --transport http` with PORT (0: an ephemeral port) and waits for the
 * "listening on" line.
 */
export async function startHttpChild(args: string[], port = 0): Promise<HttpChild> {
  const child = spawn(process.execPath, [...args, "--transport", "http"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (d) => {
    err += d;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "listening" line; stderr: ${err}`)),
      20_000,
    );
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m?.[1]) {
        clearTimeout(timer);
        child.stderr?.off("data", check);
        resolve(m[1]);
      }
    };
    child.stderr?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}; stderr: ${err}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    child,
    stderr: () => err,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Waits until `check` passes (polling every 20 ms), or fails after `ms`. */
export async function eventually<T>(check: () => T | Promise<T>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
