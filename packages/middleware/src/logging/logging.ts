import { mkdirSync, openSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { performance } from "node:perf_hooks";
import { type Context, isMcpForgeError, type MiddlewareHooks, ToolError } from "@mcpforge/core";
import type { DestinationStream, Level, LevelWithSilent, Logger } from "pino";
import { correlationIdOf } from "../internal/correlation.js";
import { checkOptionsObject, checkPositiveInteger, optionsError } from "../internal/options.js";
import { batchWriter } from "./internal/batch-writer.js";
import { fdWriter } from "./internal/fd-writer.js";
import { type HeaderLogging, headerLogging, REDACTED } from "./internal/headers-json.js";
import { type LineTail, lineWriter } from "./internal/line.js";

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

type Outcome = "ok" | "error" | "tool_error";
type LineWrite = (level: Level, fields: Record<string, unknown>, tail: LineTail) => void;
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
  return { logger, flush: flushLines, write: lineWriter(pino, logger, MESSAGE) };
}

/**
 * pino's `isoTime` timestamp — the same text, `,"time":"2026-12-07T12:55:42.123Z"` — with the
 * date and time formatted once per second and the milliseconds appended.
 */
function isoTime(): () => string {
  let second = Number.NaN;
  let prefix = "";
  return () => {
    const now = Date.now();
    const ms = now % 1000;
    if (now - ms !== second) {
      second = now - ms;
      prefix = new Date(second).toISOString().slice(0, -4); // up to and with the "."
    }
    return `,"time":"${prefix}${ms < 10 ? "00" : ms < 100 ? "0" : ""}${ms}Z"`;
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
  const headers = headerLogging(isSecret);
  const own = opts.logger
    ? undefined
    : defaultLogger(opts.level ?? "info", dest, opts.sync ?? false);
  const logger = opts.logger ?? (own as { logger: Logger }).logger;
  // The default logger's lines are written by a serializer for this line's fixed shape (the
  // same bytes pino writes); a given logger is called as it is.
  const writeLine: LineWrite = own
    ? own.write
    : (level, fields, tail) => {
        tail.add(fields);
        logger[level](fields, MESSAGE);
      };

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
          const fields = lineFields(ctx, { correlationId, durationMs, outcome });
          const tail = payloadOf(ctx, failure, isSecret, headers, maxPayloadBytes);
          const level = outcome === "ok" ? "info" : outcome === "tool_error" ? "warn" : "error";
          writeLine(level, fields, tail);
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

function lineFields(
  ctx: Context,
  base: { correlationId: string; durationMs: number; outcome: Outcome },
): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    method: ctx.method,
    component: ctx.component?.name ?? componentFromParams(ctx),
    outcome: base.outcome,
    durationMs: base.durationMs,
    correlationId: base.correlationId,
    requestId: ctx.requestId,
    sessionId: ctx.session.id,
    transport: ctx.transport,
    principal: ctx.auth?.clientId,
  };
  return fields;
}

function componentFromParams(ctx: Context): string | undefined {
  const name = ctx.params.name ?? ctx.params.uri;
  return typeof name === "string" ? name.slice(0, 200) : undefined;
}

/**
 * The members of a line after its fixed fields — the arguments (truncated, with secrets
 * redacted), the resource URI, the headers (redacted), the error — as JSON text and as values.
 * The text is what `JSON.stringify` writes for those values, so the arguments, serialized once
 * to measure them, and the headers are not serialized again for the line.
 */
function payloadOf(
  ctx: Context,
  failure: unknown,
  isSecret: (key: string) => boolean,
  headerLog: HeaderLogging,
  maxBytes: number,
): LineTail {
  let json = "";
  const values: [string, unknown][] = [];
  const member = (key: string, value: unknown, text: string) => {
    json += `,"${key}":${text}`;
    values.push([key, value]);
  };
  const args = ctx.params.arguments;
  if (args !== undefined) {
    // Only arguments holding a secret key need the (slower) replacer pass.
    const secret = hasSecretKey(args, isSecret, 0);
    let redacted = false;
    const text = secret
      ? JSON.stringify(args, (key, value) => {
          if (key === "" || !isSecret(key)) return value;
          redacted = true;
          return REDACTED;
        })
      : JSON.stringify(args);
    if (text !== undefined) {
      // A UTF-16 unit is at most 3 bytes of UTF-8: short JSON needs no exact count.
      const bytes = text.length * 3 <= maxBytes ? text.length : Buffer.byteLength(text);
      if (bytes <= maxBytes) {
        if (redacted) member("arguments", JSON.parse(text), text);
        else if (!secret) {
          // Arguments came in as JSON, so without secrets the object itself logs the same text.
          member("arguments", args, text);
        } else {
          // A toJSON() somewhere: serialized as the line's member (its key is "arguments").
          const line = JSON.stringify({ arguments: args });
          member("arguments", args, line.slice('{"arguments":'.length, -1));
        }
      } else {
        const cut = `${truncateUtf8(text, maxBytes)}…`;
        member("arguments", cut, JSON.stringify(cut));
        member("argumentsTruncated", true, "true");
        member("argumentsBytes", bytes, String(bytes));
      }
    }
  }
  if (typeof ctx.params.uri === "string") {
    const uri = truncateUtf8(ctx.params.uri, maxBytes);
    member("uri", uri, JSON.stringify(uri));
  }
  const headers = ctx.http?.headers;
  if (headers) {
    json += `,"headers":${headerLog.json(headers)}`;
    values.push(["headers", undefined]);
  }
  if (failure !== undefined) {
    const error = errorFields(failure);
    member("error", error, JSON.stringify(error));
  }
  return {
    json,
    add(fields) {
      for (const [key, value] of values) {
        fields[key] = key === "headers" && headers ? headerLog.logged(headers) : value;
      }
    },
  };
}

/** Whether a key of `value`, at any depth (as `JSON.stringify` visits them), is a secret. */
function hasSecretKey(value: unknown, isSecret: (key: string) => boolean, depth: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  // Past this depth, let the replacer pass decide.
  if (depth > 32) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (isSecret(String(i)) || hasSecretKey(value[i], isSecret, depth + 1)) return true;
    }
    return false;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return true;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (isSecret(key) || hasSecretKey((value as Record<string, unknown>)[key], isSecret, depth + 1))
      return true;
  }
  return false;
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

function truncateUtf8(text: string, maxBytes: number): string {
  const cut = Buffer.from(text, "utf8").subarray(0, maxBytes).toString("utf8");
  // A multi-byte character cut in half decodes to U+FFFD: drop it.
  return cut.endsWith("\uFFFD") ? cut.slice(0, -1) : cut;
}

function errorFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err).slice(0, 500) };
  const out: Record<string, unknown> = { name: err.name, message: err.message.slice(0, 500) };
  if (isMcpForgeError(err)) {
    out.kind = err.kind;
    out.code = err.code;
  }
  return out;
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
