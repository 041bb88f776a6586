/** The timed loop shared by the in-process entries. */
import { report } from "./child.js";

/** Anything that answers a `tools/call` for echo. */
export type CallEcho = (text: string) => Promise<object>;

function firstText(result: object): unknown {
  const { content: raw } = result as { content?: unknown };
  const content = Array.isArray(raw) ? (raw as { text?: unknown }[]) : [];
  return content[0]?.text;
}

/**
 * Calls `call` sequentially (each awaited) for `seconds` after a warm-up, and reports calls/s
 * and the process's CPU time per call (µs) over the timed loop.
 *
 * @example
 * await timeCalls((t) => client.callTool({ name: "echo", arguments: { text: t } }), 3);
 */
export async function timeCalls(call: CallEcho, seconds: number): Promise<void> {
  const sample = await call("hello");
  if (firstText(sample) !== "hello") {
    throw new Error(`unexpected echo result: ${JSON.stringify(sample)}`);
  }
  const warmEnd = performance.now() + 500;
  while (performance.now() < warmEnd) await call("hello");
  let calls = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    await call("hello");
    calls++;
    now = performance.now();
  }
  const elapsed = (now - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  report({
    type: "result",
    calls,
    seconds: elapsed,
    callsPerSec: calls / elapsed,
    cpuMicrosPerCall: (cpu.user + cpu.system) / calls,
  });
}
