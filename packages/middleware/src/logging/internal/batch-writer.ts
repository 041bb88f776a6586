import { fdWriter } from "./fd-writer.js";

/** A writer of lines that buffers them: {@link batchWriter}. */
export interface BatchWriter {
  /** Buffers `line` (written within 20 ms, or at once past the bound). */
  write(line: string): void;
  /** Writes every buffered line now, synchronously. */
  flush(): void;
}

/** Buffered text past which a batch is written at once (UTF-16 units: at most 192 KiB). */
const DEFAULT_MAX_CHARS = 64 * 1024;

/**
 * How long a line waits for others before its batch is written (ms). A batch per event-loop
 * turn was one `write` per request at a moderate rate (each request its own turn); a short
 * window makes it one per batch of requests.
 */
const BATCH_MS = 20;

/** The flushes of writers holding lines, run synchronously when the process exits. */
const unflushed = new Set<() => void>();
let exitHookInstalled = false;

function flushAllOnExit(): void {
  for (const flush of [...unflushed]) flush();
}

/**
 * Writes lines to a file descriptor in batches: the lines of 20 ms are joined and written with
 * one `write` system call (through {@link fdWriter}: partial writes finished, a busy descriptor
 * waited for) from an unreferenced timer, instead of one call per line. The
 * buffer is bounded: once it holds `maxChars` UTF-16 units it is written at once,
 * synchronously, so a slow destination slows the writer down (as synchronous writes would)
 * and nothing is ever dropped. Lines still buffered when the process exits — `process.exit()`,
 * an uncaught exception, the event loop running dry — are written synchronously from the
 * process's `exit` event. Only a signal that ends the process unhandled (`SIGKILL`, a
 * `SIGTERM` nothing handles) can drop them: at most the lines of the last 20 ms. A write that fails (say `EBADF`) loses that
 * batch, as a failing synchronous write loses its line; it never throws into the event loop.
 *
 * @example
 * import { openSync } from "node:fs";
 * const log = batchWriter(openSync("/tmp/mcp.log", "a"));
 * log.write('{"msg":"mcp request"}\n'); // in the file within 20 ms
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
        setTimeout(task, BATCH_MS).unref();
      }
    },
    flush,
  };
}
