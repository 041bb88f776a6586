/**
 * What every benchmark child process shares: report to the parent over IPC, answer memory
 * probes, and exit when told to or when the parent goes away.
 */

/** A message from a child to the bench runner. */
export type ChildMessage =
  | { type: "ready"; url?: string }
  | { type: "mem"; heapUsed: number; rss: number; external: number; arrayBuffers: number }
  | { type: "result"; [key: string]: unknown };

/** A message from the bench runner to a child (`stats`: entries that keep counters answer it). */
export type ParentMessage = { type: "mem" } | { type: "exit" } | { type: "stats" };

/** Sends a message to the parent (a no-op without an IPC channel). */
export function report(message: ChildMessage): void {
  process.send?.(message);
}

function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  // several passes: weak callbacks and finalizers free more on the next collection
  for (let i = 0; i < 4; i++) gc();
}

/** Answers `mem` (after a full GC) and `exit`; exits when the parent disconnects. */
export function serveParent(onExit: () => void | Promise<void> = () => {}): void {
  process.on("message", (m: ParentMessage) => {
    if (m.type === "mem") {
      fullGc();
      const u = process.memoryUsage();
      report({
        type: "mem",
        heapUsed: u.heapUsed,
        rss: u.rss,
        external: u.external,
        arrayBuffers: u.arrayBuffers,
      });
    } else if (m.type === "exit") {
      void Promise.resolve(onExit()).finally(() => process.exit(0));
    }
  });
  process.on("disconnect", () => process.exit(0));
}

/** The positional argument at `i` (after the script path), or `fallback`. */
export function arg(i: number, fallback: string): string {
  return process.argv[2 + i] ?? fallback;
}
