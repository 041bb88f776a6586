import type { ServerLogger } from "@mcpforge/core";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { expect } from "vitest";

/** A logger that drops everything (keeps core's masked-error lines out of test output). */
export const silentLogger: ServerLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** A pino destination collecting parsed JSON lines. */
export function memoryDestination(): {
  write(line: string): void;
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    write(line: string) {
      for (const part of line.split("\n")) if (part.trim() !== "") lines.push(JSON.parse(part));
    },
  };
}

/** A logger recording every call. */
export function recordingLogger(): ServerLogger & {
  entries: { level: string; msg: string; fields: Record<string, unknown> | undefined }[];
} {
  const entries: { level: string; msg: string; fields: Record<string, unknown> | undefined }[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    entries.push({ level, msg, fields });
  };
  return { entries, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A promise to open later, counting who waits on it. */
export function gate(): { wait(): Promise<void>; open(): void; waiting: number } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const g = {
    waiting: 0,
    async wait() {
      g.waiting++;
      await opened;
    },
    open: () => open(),
  };
  return g;
}

/** Polls `check` until it is true (or fails after `ms`). */
export async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await sleep(5);
  }
}

/** The JSON-RPC error a request was refused with (fails the test if it was answered). */
export async function refusal(promise: Promise<unknown>): Promise<McpError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(McpError);
  return err as McpError;
}
