import { mkdirSync, openSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { performance } from "node:perf_hooks";
import { type Context, type MiddlewareHooks, ToolError } from "@mcpforge/core";
import type { DestinationStream, Level, LevelWithSilent, Logger } from "pino";
import { correlationIdOf } from "../internal/correlation.js";
import { checkOptionsObject, checkPositiveInteger, optionsError } from "../internal/options.js";
import { batchWriter } from "./internal/batch-writer.js";
import { fdWriter } from "./internal/fd-writer.js";
import { headerLogging } from "./internal/headers-json.js";
import { flat } from "./internal/json-text.js";
import { bodyWriter, type LineBody } from "./internal/line.js";
import { type Outcome, RequestLines } from "./internal/request-line.js";

/** The `ctx.var` fields {@link logging} adds. */
export type LoggingVars = {
  /** This request's correlation id (reused when an earlier middleware set one). */
  correlationId: string;
};

/** Options of {@link logging}. */
export interface LoggingOptions {
  /** The minimum level of the default logger (default `info`); ignored when `logger` is given. */
  level?: LevelWithSilent;
  /** Logged arguments are cut to this many bytes of JSON (default 2048). */
  maxPayloadBytes?: number;
  /**
   * Argument and header keys whose values are replaced by `"[REDACTED]"`, at any depth. A string
   * matches case-insensitively, ignoring `-` and `_`, when the key contains it (`"token"` matches
   * `accessToken` and `x_token`); a RegExp is tested against the key as it is. Replaces the
   * default list: `password`, `token`, `secret`, `apiKey`, `authorization`, `cookie`. The
   * `authorization`, `proxy-authorization`, `cookie` and `set-cookie` headers are always redacted.
   */
  redactKeys?: readonly (string | RegExp)[];
  /** A pino logger to write to (default: a new one writing to `destination`). */
  logger?: Logger;
  /**
   * Where the default logger writes: a stream, a file path (appended to, created if missing)
   * or a file descriptor (default: stderr, file descriptor 2).
   */
  destination?: DestinationStream | string | number;
  /**
   * Whether the default logger writes each line to a path or descriptor `destination` before
   * the request's middleware returns, one system call per line (default `false`). By default
   * the lines of 20 ms are written together, with one system call (at once when they pass
   * 64 Ki characters, so the buffer stays small and a slow
   * destination slows the server as synchronous writes would); none is lost: they are written
   * when the app closes, and synchronously when the process exits — `process.exit()`, an
   * uncaught exception, a signal handled by `app.run()` or `listen({ handleSignals: true })`.
   * Only a signal that ends the process unhandled (`SIGKILL`, or a `SIGTERM` nothing handles)
   * can drop the lines of the last 20 ms; `sync: true` rules that out, at a few µs of
   * CPU more per line. Ignored for a stream `destination` and a given `logger`.
   */
  sync?: boolean;
}

const DEFAULT_REDACT_KEYS: readonly string[] = [
  "password",
  "token",
  "secret",
  "apiKey",
  "authorization",
  "cookie",
];
const LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

type LineWrite = (level: Level, body: LineBody) => void;
const MESSAGE = "mcp request";

/**
 * The default logger: pino writing JSON lines to `destination` (default: stderr). A path or
 * descriptor is written by our own writers — each line at once ({@link fdWriter}) or the
 * lines of 20 ms together ({@link batchWriter}, flushed on close and on exit) —
 * which pino's own calls share, so every line keeps its order. pino is loaded here, so
 * importing the package or `logging({ logger })` never loads it; it is CommonJS, so a
 * synchronous require fits.
 */
function defaultLogger(
  level: LevelWithSilent,
  destination: DestinationStream | string | number | undefined,
  sync: boolean,
): { logger: Logger; flush: () => void; write: LineWrite } {
  const pino = createRequire(import.meta.url)("pino") as typeof import("pino").default;
  let stream = destination as DestinationStream;
  let flushLines = () => {};
  if (typeof destination !== "object") {
    const fd = openDestination(destination ?? 2);
    if (sync) stream = { write: fdWriter(fd) };
    else {
      const batch = batchWriter(fd);
      flushLines = batch.flush;
      stream = { write: batch.write };
    }
  }
  const logger = pino(
    {
      name: "@mcpforge/middleware/logging",
      level,
      base: { pid: process.pid },
      timestamp: isoTime(),
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  return { logger, flush: flushLines, write: bodyWriter(pino, logger, MESSAGE) };
}

/**
 * pino's `isoTime` timestamp — the same text, `,"time":"2026-12-07T12:55:42.123Z"` — with the
 * date and time formatted once per second and the milliseconds appended (once per millisecond).
 */
function isoTime(): () => string {
  let second = Number.NaN;
  let prefix = "";
  let last = Number.NaN;
  let text = "";
  return () => {
    const now = Date.now();
    // Lines of the same millisecond share the text.
    if (now === last) return text;
    const ms = now % 1000;
    if (now - ms !== second) {
      second = now - ms;
      // `,"time":"` and the date up to and with the "." (flat: every line copies it)
      prefix = flat(',"time":"', new Date(second).toISOString().slice(0, -4));
    }
    last = now;
    // The milliseconds' part is short, so already flat: the text is two pieces.
    const msPart = `${ms < 10 ? "00" : ms < 100 ? "0" : ""}${ms}Z"`;
    text = `${prefix}${msPart}`;
    return text;
  };
}

/**
 * A file descriptor for a path destination, opened now (for appending, its folder created):
 * a file opened in the background would lose the lines of a process exiting before it is open.
 */
function openDestination(destination: string | number): number {
  if (typeof destination === "number") return destination;
  mkdirSync(dirname(destination), { recursive: true });
  return openSync(destination, "a");
}

/**
 * Logs one structured JSON line per request with pino (stderr by default): method, component,
 * duration, outcome (`ok`, `error`, `tool_error`), correlation id (also on
 * `ctx.var.correlationId`), session id, principal, and the arguments, truncated and with
 * secrets redacted.
 *
 * @example
 * import { logging } from "@mcpforge/middleware/logging";
 * app.use(logging({ level: "info", maxPayloadBytes: 1024, redactKeys: ["password", "ssn"] }));
 * // {"level":"info","time":"…","method":"tools/call","component":"search","outcome":"ok",…}
 */
export function logging(options?: LoggingOptions): MiddlewareHooks<LoggingVars> {
  const opts = checkOptionsObject("logging", options);
  if (opts.level !== undefined && !LEVELS.has(opts.level)) {
    throw optionsError(
      "logging",
      `level must be one of ${[...LEVELS].join(", ")}, got ${JSON.stringify(opts.level)}`,
    );
  }
  checkPositiveInteger("logging", "maxPayloadBytes", opts.maxPayloadBytes);
  if (opts.redactKeys !== undefined) {
    if (
      !Array.isArray(opts.redactKeys) ||
      !opts.redactKeys.every((k) => (typeof k === "string" && k !== "") || k instanceof RegExp)
    ) {
      throw optionsError("logging", "redactKeys must be an array of non-empty strings or RegExps");
    }
  }
  if (opts.logger !== undefined && typeof opts.logger?.info !== "function") {
    throw optionsError("logging", "logger must be a pino logger");
  }
  const dest = opts.destination;
  if (
    dest !== undefined &&
    !(typeof dest === "string" && dest !== "") &&
    !(typeof dest === "number" && Number.isInteger(dest) && dest >= 0) &&
    typeof (dest as DestinationStream | null)?.write !== "function"
  ) {
    throw optionsError(
      "logging",
      "destination must be a stream with a write() method, a file path or a file descriptor",
    );
  }
  if (opts.sync !== undefined && typeof opts.sync !== "boolean") {
    throw optionsError("logging", "sync must be a boolean");
  }
  const maxPayloadBytes = opts.maxPayloadBytes ?? 2048;
  const isSecret = secretMatcher(opts.redactKeys ?? DEFAULT_REDACT_KEYS);
  const lines = new RequestLines({
    isSecret,
    headers: headerLogging(isSecret),
    maxBytes: maxPayloadBytes,
  });
  const own = opts.logger
    ? undefined
    : defaultLogger(opts.level ?? "info", dest, opts.sync ?? false);
  const logger = opts.logger ?? (own as { logger: Logger }).logger;
  // The default logger's lines are written from their JSON text (the same bytes pino writes);
  // a given logger is called as it is, with the fields object.
  const writeLine: LineWrite = own
    ? own.write
    : (level, body) => logger[level](body.fields(), MESSAGE);

  return {
    name: "logging",
    setup(app) {
      // Lines still buffered are written before the app reports itself closed (they are also
      // written synchronously if the process exits first).
      app.onClose(() => (own ? own.flush() : flush(logger)));
    },
    onRequest: (ctx, next) => {
      const correlationId = correlationIdOf(ctx);
      const start = performance.now();
      const write = (outcome: Outcome, failure: unknown) => {
        const durationMs = Math.round((performance.now() - start) * 1000) / 1000;
        try {
          const level = outcome === "ok" ? "info" : outcome === "tool_error" ? "warn" : "error";
          writeLine(level, lines.line(ctx, correlationId, durationMs, outcome, failure));
        } catch {
          // Logging must never change the answer.
        }
      };
      // A promise chain, not an async frame: one promise less per request.
      return next().then(
        (result) => {
          write(isToolErrorResult(ctx, result) ? "tool_error" : "ok", undefined);
          return result;
        },
        (err: unknown) => {
          // A ToolError thrown by the handler becomes an isError result further out, in core.
          write(isToolError(err) ? "tool_error" : "error", err);
          throw err;
        },
      );
    },
  };
}

function isToolError(err: unknown): boolean {
  return err instanceof ToolError || (err instanceof Error && err.name === "ToolError");
}

function isToolErrorResult(ctx: Context, result: unknown): boolean {
  return (
    ctx.method === "tools/call" &&
    typeof result === "object" &&
    result !== null &&
    (result as { isError?: unknown }).isError === true
  );
}

/** Writes out what `logger` still buffers (resolves at once when nothing is pending). */
function flush(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    try {
      logger.flush(() => resolve());
    } catch {
      resolve();
    }
  });
}

const normalize = (key: string) => key.toLowerCase().replace(/[-_]/g, "");

function secretMatcher(keys: readonly (string | RegExp)[]): (key: string) => boolean {
  const needles = keys.filter((k): k is string => typeof k === "string").map(normalize);
  const patterns = keys.filter((k): k is RegExp => k instanceof RegExp);
  const cache = new Map<string, boolean>();
  return (key) => {
    let hit = cache.get(key);
    if (hit === undefined) {
      const n = normalize(key);
      hit =
        needles.some((needle) => n.includes(needle)) ||
        patterns.some((p) => {
          p.lastIndex = 0;
          return p.test(key);
        });
      if (cache.size < 1000) cache.set(key, hit);
    }
    return hit;
  };
}
