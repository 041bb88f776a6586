import { channel } from "node:diagnostics_channel";
import type { DestinationStream, Level, Logger } from "pino";
import { ESCAPED_SURROGATE, flat } from "./json-text.js";

/** pino's symbols (`pino.symbols`): the pieces of a line pino precomputes for its logger. */
interface PinoSymbols {
  readonly lsCacheSym: symbol;
  readonly chindingsSym: symbol;
  readonly timeSym: symbol;
  readonly endSym: symbol;
  readonly streamSym: symbol;
  readonly messageKeySym: symbol;
}

/** pino's tracing channel around its serializer: when somebody listens, let pino serialize. */
const asJsonStart = channel("tracing:pino_asJson:start");
/** Streams asking pino for the line's metadata (pino.multistream) are written by pino. */
const NEEDS_METADATA = Symbol.for("pino.metadata");

/**
 * A line's members after pino's level, time and bindings and before its message: as JSON text
 * (`,"key":value` each, as `JSON.stringify` writes an object's members; `""` for none) or,
 * when that text is not what pino would write, `undefined`, and then as a fields object that
 * pino serializes itself.
 *
 * @example
 * const body: LineBody = {
 *   json: () => ',"method":"ping"',
 *   fields: () => ({ method: "ping" }),
 * };
 */
export interface LineBody {
  /** The members' JSON text, or `undefined` when pino must write the line. */
  json(): string | undefined;
  /** The members as a fields object (made only when pino writes the line). */
  fields(): Record<string, unknown>;
}

/**
 * Writes one line per call exactly as `logger[level](body.fields(), msg)` would — the same
 * bytes — for a logger created with no serializers, hooks, mixin, redaction or nested key (the
 * default logger of `logging()`): pino's precomputed level prefix, timestamp and bindings,
 * then the body's JSON text, then the message. Whatever the fast path cannot promise to write
 * identically — a body without JSON text (a lone surrogate: pino writes those of short strings
 * raw), a stream that wants pino's metadata, a subscriber to pino's tracing channel — goes
 * through `logger[level]()` itself. The body is serialized only when the level is enabled.
 *
 * @example
 * import pino from "pino";
 * const log = pino({ base: { pid: process.pid }, formatters: { level: (level) => ({ level }) } });
 * const write = bodyWriter(pino, log, "mcp request");
 * write("info", { json: () => ',"method":"ping"', fields: () => ({ method: "ping" }) });
 * // {"level":"info","time":…,"pid":1,"method":"ping","msg":"mcp request"}
 */
export function bodyWriter(
  pino: { readonly symbols: unknown },
  logger: Logger,
  msg: string,
): (level: Level, body: LineBody) => void {
  const sym = pino.symbols as PinoSymbols;
  const raw = logger as unknown as Record<symbol, unknown>;
  const lsCache = raw[sym.lsCacheSym] as Record<number, string>;
  const chindings = raw[sym.chindingsSym] as string;
  const time = raw[sym.timeSym] as () => string;
  const end = raw[sym.endSym] as string;
  const stream = raw[sym.streamSym] as DestinationStream & { [NEEDS_METADATA]?: boolean };
  const msgPart = `,${JSON.stringify(raw[sym.messageKeySym])}:${JSON.stringify(msg)}`;
  const slow = (level: Level, body: LineBody) => logger[level](body.fields(), msg);
  if (
    typeof lsCache !== "object" ||
    typeof chindings !== "string" ||
    typeof time !== "function" ||
    typeof end !== "string" ||
    typeof stream?.write !== "function"
  ) {
    return slow;
  }
  // The parts every line repeats, flat: each line copies them as one piece each.
  const prefixes = new Map<number, string>();
  for (const [num, prefix] of Object.entries(lsCache)) prefixes.set(Number(num), flat(prefix));
  const bindings = flat(chindings);
  const close = flat(msgPart, end);
  return (level, body) => {
    if (!logger.isLevelEnabled(level)) return;
    if (stream[NEEDS_METADATA] === true || asJsonStart.hasSubscribers) return slow(level, body);
    const json = body.json();
    if (json === undefined) return slow(level, body);
    const prefix = prefixes.get(logger.levels.values[level] as number);
    stream.write(`${prefix}${time()}${bindings}${json}${close}`);
  };
}

/**
 * {@link bodyWriter} for a fields object: its members serialized with one `JSON.stringify`
 * (what pino does for every object field); a field that does not serialize (a cycle, a BigInt)
 * or a lone surrogate leaves the line to pino.
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
  const write = bodyWriter(pino, logger, msg);
  return (level, fields) => write(level, { json: () => fieldsJson(fields), fields: () => fields });
}

/** `fields`' members as JSON text, or `undefined` when pino must write them. */
function fieldsJson(fields: Record<string, unknown>): string | undefined {
  let json: string;
  try {
    json = JSON.stringify(fields);
  } catch {
    // pino's own fallback (safe-stable-stringify) handles cycles and BigInts.
    return undefined;
  }
  if (json.includes(ESCAPED_SURROGATE)) return undefined;
  // `{"a":1,"b":2}` → `,"a":1,"b":2` (an empty object adds nothing)
  return json.length > 2 ? `,${json.slice(1, -1)}` : "";
}
