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
 * Members a caller already has as JSON text, written after the line's other fields: `json` is
 * their text as `JSON.stringify` writes members (`,"key":value` each, in order) and `add()`
 * puts the same members, as values, on a fields object (for a logger that serializes itself).
 *
 * @example
 * const tail: LineTail = {
 *   json: ',"uri":"file:///a.txt"',
 *   add: (fields) => Object.assign(fields, { uri: "file:///a.txt" }),
 * };
 */
export interface LineTail {
  readonly json: string;
  add(fields: Record<string, unknown>): void;
}

/**
 * Writes one line per call exactly as `logger[level](fields, msg)` would — the same bytes —
 * for a logger created with no serializers, hooks, mixin, redaction or nested key (the
 * default logger of `logging()`): pino's precomputed level prefix, timestamp and bindings,
 * then the fields serialized with one `JSON.stringify` (what pino does for every object
 * field), then the message. Whatever the fast path cannot promise to write identically — a
 * field that does not serialize (a cycle, a BigInt), a lone surrogate (pino writes those of
 * short strings raw), a stream that wants pino's metadata, a subscriber to pino's
 * tracing channel — goes through `logger[level]()` itself. A `tail` is written after the fields
 * as it is (the line is that of the fields with the tail's members added after them).
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
): (level: Level, fields: Record<string, unknown>, tail?: LineTail) => void {
  const sym = pino.symbols as PinoSymbols;
  const raw = logger as unknown as Record<symbol, unknown>;
  const lsCache = raw[sym.lsCacheSym] as Record<number, string>;
  const chindings = raw[sym.chindingsSym] as string;
  const time = raw[sym.timeSym] as () => string;
  const end = raw[sym.endSym] as string;
  const stream = raw[sym.streamSym] as DestinationStream & { [NEEDS_METADATA]?: boolean };
  const msgPart = `,${JSON.stringify(raw[sym.messageKeySym])}:${JSON.stringify(msg)}`;
  const slow = (level: Level, fields: Record<string, unknown>, tail?: LineTail) => {
    tail?.add(fields);
    logger[level](fields, msg);
  };
  if (
    typeof lsCache !== "object" ||
    typeof chindings !== "string" ||
    typeof time !== "function" ||
    typeof end !== "string" ||
    typeof stream?.write !== "function"
  ) {
    return slow;
  }
  return (level, fields, tail) => {
    if (!logger.isLevelEnabled(level)) return;
    if (stream[NEEDS_METADATA] === true || asJsonStart.hasSubscribers) {
      return slow(level, fields, tail);
    }
    let json: string;
    try {
      json = JSON.stringify(fields);
    } catch {
      // pino's own fallback (safe-stable-stringify) handles cycles and BigInts.
      return slow(level, fields, tail);
    }
    const more = tail?.json ?? "";
    if (json.includes(ESCAPED_SURROGATE) || more.includes(ESCAPED_SURROGATE)) {
      return slow(level, fields, tail);
    }
    const prefix = lsCache[logger.levels.values[level] as number];
    // `{"a":1,"b":2}` → `,"a":1,"b":2` (an empty object adds nothing)
    const body = json.length > 2 ? `,${json.slice(1, -1)}${more}` : more;
    const line = `${prefix}${time()}${chindings}${body}${msgPart}${end}`;
    stream.write(line);
  };
}
