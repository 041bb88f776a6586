import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { batchWriter } from "./batch-writer.js";

const dirs: string[] = [];
const fds: number[] = [];
afterEach(async () => {
  for (const fd of fds.splice(0)) closeSync(fd);
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A fresh file opened for appending, and a synchronous reader of its text. */
async function tempFile(): Promise<{ fd: number; text: () => string }> {
  const dir = await mkdtemp(join(tmpdir(), "mcpforge-batch-writer-"));
  dirs.push(dir);
  const file = join(dir, "out.log");
  const fd = openSync(file, "a");
  fds.push(fd);
  return { fd, text: () => readFileSync(file, "utf8") };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Past the 20 ms a batch waits, with room for a busy machine. */
const afterBatch = () => new Promise<void>((resolve) => setTimeout(resolve, 60));

describe("batchWriter", () => {
  it("writes the lines of 20 ms together, in order, over several event-loop turns", async () => {
    const { fd, text } = await tempFile();
    const log = batchWriter(fd);
    const lines = ["plain\n", "Grüße 日本語 🎉\n", `${"é".repeat(5000)}\n`];
    for (const line of lines) {
      log.write(line);
      await nextTurn();
    }
    expect(text()).toBe(""); // buffered across the turns
    await afterBatch();
    expect(text()).toBe(lines.join(""));
    log.write("later\n");
    await afterBatch();
    expect(text()).toBe(`${lines.join("")}later\n`);
  });

  it("writes at once, synchronously, once the buffer reaches its bound", async () => {
    const { fd, text } = await tempFile();
    const log = batchWriter(fd, 100);
    const line = `${"x".repeat(39)}\n`; // 40 characters
    log.write(line);
    log.write(line);
    expect(text()).toBe("");
    log.write(line); // 120 ≥ 100: written now
    expect(text()).toBe(line.repeat(3));
    log.write(line);
    expect(text()).toBe(line.repeat(3));
    await afterBatch();
    expect(text()).toBe(line.repeat(4));
  });

  it("flush() writes what is buffered now", async () => {
    const { fd, text } = await tempFile();
    const log = batchWriter(fd);
    log.write("a\n");
    log.write("b\n");
    log.flush();
    expect(text()).toBe("a\nb\n");
    log.flush(); // nothing left: no second copy
    await afterBatch();
    expect(text()).toBe("a\nb\n");
  });

  it("never throws into the event loop when the destination fails", async () => {
    const fd = openSync("/dev/null", "r"); // not open for writing: EBADF
    fds.push(fd);
    const log = batchWriter(fd);
    log.write("lost\n");
    await afterBatch(); // an uncaught error here would fail the test run
    expect(() => log.flush()).not.toThrow();
    expect(() => batchWriter(fd, 1).write("lost too\n")).not.toThrow();
  });
});
