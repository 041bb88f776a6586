import { fdWriter } from "./fd-writer.js";

/** A writer of lines that buffers them: {@link batchWriter}. */
export interface BatchWriter {
  /** Buffers `line` (written by the end of this event-loop turn, or at once past the bound). */
  write(line: string): void;
  /** Writes every buffered line now, synchronously. */
  flush(): void;
}

/** Buffered text past which a batch is written at once (UTF-16 units: at most 192 KiB). */
const DEFAULT_MAX_CHARS = 64 * 1024;

/** The flushes of writers holding lines, run synchronously when the process exits. */
const unflushed = new Set<() => void>();
let exitHookInstalled = false;

function flushAllOnExit(): void {
  for (const flush of [...unflushed]) flush();
}

/**
 * Writes lines to a file descriptor in batches: the lines of one event-loop turn are joined
 * and written with one `write` system call (through {@link fdWriter}: partial writes finished,
 * a busy descriptor waited for) in a `setImmediate` task, instead of one call per line. The
 * buffer is bounded: once it holds `maxChars` UTF-16 units it is written at once,
 * synchronously, so a slow destination slows the writer down (as synchronous writes would)
 * and nothing is ever dropped. Lines still buffered when the process exits — `process.exit()`,
 * an uncaught exception, the event loop running dry — are written synchronously from the
 * process's `exit` event. Only a signal that ends the process unhandled (`SIGKILL`, a
 * `SIGTERM` nothing handles) can drop them: at most the lines of the current turn. A write that fails (say `EBADF`) loses that
 * batch, as a failing synchronous write loses its line; it never throws into the event loop.
 *
 * @example
 * import { openSync } from "node:fs";
 * const log = batchWriter(openSync("/tmp/mcp.log", "a"));
 * log.write('{"msg":"mcp request"}\n'); // in the file by the end of this turn
 * log.flush(); // or now
 */
export function batchWriter(fd: number, maxChars = DEFAULT_MAX_CHARS): BatchWriter {
  const writeNow = fdWriter(fd);
  let pending = "";
  let scheduled = false;
  const flush = () => {
    if (pending === "") return;
    const text = pending;
    pending = "";
    unflushed.delete(flush);
    try {
      writeNow(text);
    } catch {
      // The destination failed: these lines are lost, as a failing synchronous write's are.
    }
  };
  const task = () => {
    scheduled = false;
    flush();
  };
  return {
    write(line) {
      if (pending === "") {
        unflushed.add(flush);
        if (!exitHookInstalled) {
          exitHookInstalled = true;
          process.on("exit", flushAllOnExit);
        }
      }
      pending += line;
      if (pending.length >= maxChars) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(task);
      }
    },
    flush,
  };
}
