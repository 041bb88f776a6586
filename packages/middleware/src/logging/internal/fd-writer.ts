import { writeSync } from "node:fs";

/** How long to wait before writing again to a descriptor that is busy (sonic-boom's figure). */
const BUSY_WAIT_MS = 100;
const waiter = new Int32Array(new SharedArrayBuffer(4));

function busy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "EAGAIN" || code === "EBUSY";
}

/**
 * A synchronous writer of whole lines to a file descriptor: each line is written before the
 * call returns, with one `write` system call when the descriptor takes it all (a file,
 * `/dev/null`, a pipe with room). The rest of a partial write is written as bytes, waiting
 * while the descriptor is busy (`EAGAIN`, a full non-blocking pipe), as pino's synchronous
 * destination (sonic-boom) does — without its per-line copy of the text into a new Buffer,
 * which costs more than the write itself. Other errors are thrown.
 *
 * @example
 * import { openSync } from "node:fs";
 * const write = fdWriter(openSync("/tmp/mcp.log", "a"));
 * write('{"msg":"mcp request"}\n');
 */
export function fdWriter(fd: number): (line: string) => void {
  const writeRest = (line: string, written: number) => {
    const bytes = Buffer.from(line, "utf8");
    let offset = written;
    while (offset < bytes.length) {
      try {
        offset += writeSync(fd, bytes, offset, bytes.length - offset);
      } catch (err) {
        if (!busy(err)) throw err;
        Atomics.wait(waiter, 0, 0, BUSY_WAIT_MS);
      }
    }
  };
  return (line) => {
    let written: number;
    try {
      written = writeSync(fd, line, null, "utf8");
    } catch (err) {
      if (!busy(err)) throw err;
      written = 0;
    }
    // Fewer bytes than characters is certainly partial; else count the bytes (no copy).
    if (written < line.length || written < Buffer.byteLength(line)) writeRest(line, written);
  };
}
