/** A structured JSON line logger on stderr (never stdout: stdout belongs to stdio). */
export type LogLevel = "debug" | "info" | "warn" | "error";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** The logging interface core writes its own diagnostics to. */
export interface ServerLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Creates a logger writing one JSON object per line to stderr.
 *
 * @example
 * const log = createStderrLogger("my-server", "info");
 * log.warn("slow call", { ms: 1200 });
 */
export function createStderrLogger(name: string, level: LogLevel = "info"): ServerLogger {
  const min = ORDER[level];
  const write = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < min) return;
    const line = JSON.stringify({
      time: new Date().toISOString(),
      level: lvl,
      name,
      msg,
      ...fields,
    });
    process.stderr.write(`${line}\n`);
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
  };
}
