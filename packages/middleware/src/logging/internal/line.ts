import { channel } from "node:diagnostics_channel";
import type { DestinationStream, Level, Logger } from "pino";

/** pino's symbols (`pino.symbols`): the pieces of a line pino precomputes for its logger. */
interface PinoSymbols {
  readonly lsCacheSym: symbol;
  readonly chindingsSym: symbol;
  readonly timeSym: symbol;
  readonly endSym: symbol;
  readonly streamSym: symbol;
  readonly messageKeySym: symbol;
}

/**
 * How `JSON.stringify` writes a lone surrogate (`\udXXX`). pino writes lone surrogates of short
 * top-level strings raw, so a line containing this text is left to pino (rare: nested values
 * and long strings pino escapes the same way, and only their lines pay for the detour).
 */
const ESCAPED_SURROGATE = "\\ud";
/** pino's tracing channel around its serializer: when somebody listens, let pino serialize. */
const asJsonStart = channel("tracing:pino_asJson:start");
/** Streams asking pino for the line's metadata (pino.multistream) are written by pino. */
const NEEDS_METADATA = Symbol.for("pino.metadata");

/**
 * Writes one line per call exactly as `logger[level](fields, msg)` would — the same bytes —
 * for a logger created with no serializers, hooks, mixin, redaction or nested key (the
 * default logger of `logging()`): pino's precomputed level prefix, timestamp and bindings,
 * then the fields serialized with one `JSON.stringify` (what pino does for every object
 * field), then the message. Whatever the fast path cannot promise to write identically — a
 * field that does not serialize (a cycle, a BigInt), a lone surrogate (pino writes those of
 * short strings raw), a stream that wants pino's metadata, a subscriber to pino's
 * tracing channel — goes through `logger[level]()` itself.
 *
 * @example
 * import pino from "pino";
 * const log = pino({ base: { pid: process.pid }, formatters: { level: (level) => ({ level }) } });
 * const write = lineWriter(pino, log, "mcp request");
 * write("info", { method: "tools/call", outcome: "ok" });
 * // {"level":"info","time":…,"pid":1,"method":"tools/call","outcome":"ok","msg":"mcp request"}
 */
export function lineWriter(
  pino: { readonly symbols: unknown },
  logger: Logger,
  msg: string,
): (level: Level, fields: Record<string, unknown>) => void {
  const sym = pino.symbols as PinoSymbols;
  const raw = logger as unknown as Record<symbol, unknown>;
  const lsCache = raw[sym.lsCacheSym] as Record<number, string>;
  const chindings = raw[sym.chindingsSym] as string;
  const time = raw[sym.timeSym] as () => string;
  const end = raw[sym.endSym] as string;
  const stream = raw[sym.streamSym] as DestinationStream & { [NEEDS_METADATA]?: boolean };
  const msgPart = `,${JSON.stringify(raw[sym.messageKeySym])}:${JSON.stringify(msg)}`;
  const slow = (level: Level, fields: Record<string, unknown>) => logger[level](fields, msg);
  if (
    typeof lsCache !== "object" ||
    typeof chindings !== "string" ||
    typeof time !== "function" ||
    typeof end !== "string" ||
    typeof stream?.write !== "function"
  ) {
    return slow;
  }
  return (level, fields) => {
    if (!logger.isLevelEnabled(level)) return;
    if (stream[NEEDS_METADATA] === true || asJsonStart.hasSubscribers) return slow(level, fields);
    let json: string;
    try {
      json = JSON.stringify(fields);
    } catch {
      // pino's own fallback (safe-stable-stringify) handles cycles and BigInts.
      return slow(level, fields);
    }
    if (json.includes(ESCAPED_SURROGATE)) return slow(level, fields);
    const prefix = lsCache[logger.levels.values[level] as number];
    // `{"a":1,"b":2}` → `,"a":1,"b":2` (an empty object adds nothing)
    const body = json.length > 2 ? `,${json.slice(1, -1)}` : "";
    const line = `${prefix}${time()}${chindings}${body}${msgPart}${end}`;
    stream.write(line);
  };
}
