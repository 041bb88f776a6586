import { spawn } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fdWriter } from "./fd-writer.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "mcpforge-fd-writer-"));
  dirs.push(dir);
  return dir;
}

describe("fdWriter", () => {
  it("writes every line, in order, before returning (ASCII and multi-byte text)", async () => {
    const file = join(await tempDir(), "out.log");
    const fd = openSync(file, "a");
    const write = fdWriter(fd);
    const lines = ["plain\n", "Grüße 日本語 🎉\n", `${"é".repeat(5000)}\n`, "\n"];
    for (const line of lines) write(line);
    // Read while the descriptor is still open: nothing is buffered.
    expect(await readFile(file, "utf8")).toBe(lines.join(""));
    closeSync(fd);
  });

  it("finishes a partial write to a full non-blocking pipe, waiting while it is busy", async () => {
    // A FIFO read by a child process: a line far larger than the pipe's buffer is written in
    // parts, with EAGAIN in between, and arrives whole.
    const dir = await tempDir();
    const fifo = join(dir, "pipe");
    await new Promise<void>((resolve, reject) => {
      spawn("mkfifo", [fifo]).on("exit", (code) =>
        code === 0 ? resolve() : reject(new Error(`mkfifo exited ${code}`)),
      );
    });
    const reader = spawn("sh", ["-c", `sleep 0.2; cat "${fifo}"`]);
    const chunks: Buffer[] = [];
    reader.stdout.on("data", (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((resolve) => reader.on("exit", () => resolve()));
    // O_RDWR keeps the open from failing before the reader opens its end.
    const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    const line = `${"ü".repeat(150_000)}x\n`; // 300,002 bytes: several pipe buffers
    fdWriter(fd)(line);
    closeSync(fd); // the only writer: the reader sees the end
    await done;
    expect(Buffer.concat(chunks).toString("utf8")).toBe(line);
  });

  it("throws errors other than a busy descriptor", () => {
    const fd = openSync("/dev/null", "r"); // not open for writing: EBADF
    try {
      expect(() => fdWriter(fd)("line\n")).toThrow(/EBADF/);
    } finally {
      closeSync(fd);
    }
  });
});
