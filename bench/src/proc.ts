/**
 * Child processes: every server (and every in-process run) lives in its own plain `node`
 * process, started from the compiled entries, optionally pinned to one CPU with `taskset`.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpus } from "node:os";
import { entryPath } from "./build.js";
import type { ChildMessage } from "./entries/child.js";

/** CPU placement: servers on the last core, the load generator (this process) on core 0. */
export interface Placement {
  pinned: boolean;
  serverCpu: number;
  loadCpu: number;
}

function hasTaskset(): boolean {
  try {
    execFileSync("taskset", ["-c", "0", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Pins this process (all its threads) to core 0 and returns where children go. Without
 * `taskset` or with a single core, nothing is pinned.
 *
 * @example
 * const placement = placeProcesses(true);
 */
export function placeProcesses(wanted: boolean): Placement {
  const count = cpus().length;
  if (!wanted || count < 2 || !hasTaskset()) return { pinned: false, serverCpu: -1, loadCpu: -1 };
  const placement = { pinned: true, serverCpu: count - 1, loadCpu: 0 };
  execFileSync("taskset", ["-a", "-pc", String(placement.loadCpu), String(process.pid)], {
    stdio: "ignore",
  });
  return placement;
}

/** The command line that runs a compiled entry, pinned when placement says so. */
export function commandFor(
  placement: Placement,
  entry: string,
  args: readonly string[],
  execArgv: readonly string[] = [],
): { cmd: string; argv: string[] } {
  const node = [process.execPath, ...execArgv, entryPath(entry), ...args];
  if (!placement.pinned) return { cmd: node[0] as string, argv: node.slice(1) };
  return { cmd: "taskset", argv: ["-c", String(placement.serverCpu), ...node] };
}

/** A running child with an IPC channel. */
export class Child {
  readonly name: string;
  readonly proc: ChildProcess;
  url = "";
  #output = "";
  #waiters: ((m: ChildMessage) => boolean)[] = [];
  #exited: Promise<number | null>;

  constructor(name: string, proc: ChildProcess) {
    this.name = name;
    this.proc = proc;
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString("utf8")).slice(-4000);
    };
    proc.stdout?.on("data", keep);
    proc.stderr?.on("data", keep);
    proc.on("message", (m: ChildMessage) => {
      this.#waiters = this.#waiters.filter((w) => !w(m));
    });
    this.#exited = new Promise((resolve) => proc.once("exit", (code) => resolve(code)));
  }

  /** The last few KB of the child's stdout and stderr. */
  get output(): string {
    return this.#output;
  }

  /** Resolves with the next message of this type; rejects if the child exits first. */
  next<T extends ChildMessage["type"]>(
    type: T,
    timeoutMs = 120_000,
  ): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(`${this.name}: no "${type}" message within ${timeoutMs} ms\n${this.output}`),
        );
      }, timeoutMs);
      this.#waiters.push((m) => {
        if (m.type !== type) return false;
        clearTimeout(timer);
        resolve(m as Extract<ChildMessage, { type: T }>);
        return true;
      });
      void this.#exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code}) before "${type}"\n${this.output}`));
      });
    });
  }

  /** Forces a full GC in the child and returns its memory usage. */
  async mem(): Promise<Extract<ChildMessage, { type: "mem" }>> {
    const reply = this.next("mem");
    this.proc.send({ type: "mem" });
    return reply;
  }

  /** Asks the child to shut down; kills it if it does not within `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    if (this.proc.connected) this.proc.send({ type: "exit" });
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  /** Resolves when the child exits. */
  exited(): Promise<number | null> {
    return this.#exited;
  }
}

/**
 * Starts a compiled entry with an IPC channel; for servers, waits for `ready` and its URL.
 *
 * @example
 * const server = await startChild(placement, "forge-http", ["stateless"]);
 */
export async function startChild(
  placement: Placement,
  entry: string,
  args: readonly string[] = [],
  options: { execArgv?: readonly string[]; waitReady?: boolean; label?: string } = {},
): Promise<Child> {
  const { cmd, argv } = commandFor(placement, entry, args, options.execArgv);
  const proc = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe", "ipc"] });
  const child = new Child(options.label ?? `${entry} ${args.join(" ")}`.trim(), proc);
  if (options.waitReady !== false) {
    const ready = await child.next("ready", 30_000);
    child.url = ready.url ?? "";
  }
  return child;
}
