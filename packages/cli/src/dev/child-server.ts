import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { selfCommand } from "../internal/self.js";

/** A JSON-RPC message as the proxy sees it. */
export interface RpcMessage {
  jsonrpc?: "2.0";
  id?: string | number | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

/** The map key of a JSON-RPC id (`1` and `"1"` are different ids). */
export const idKey = (id: unknown) => JSON.stringify(id);

/** One `mcpforge run <file>` child speaking MCP on its stdin/stdout. */
export class ChildServer {
  readonly process: ChildProcess;
  /** Ids of requests this child sent to the client and that are still unanswered. */
  readonly outstanding = new Set<string>();
  /** Resolves with the exit code when the child is gone. */
  readonly exited: Promise<number | null>;
  #onMessage: (message: RpcMessage, line: string) => void = () => {};

  constructor(target: string) {
    const { command, args } = selfCommand("run", target);
    this.process = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
    this.exited = new Promise((done) => {
      this.process.once("exit", (code) => done(code));
      this.process.once("error", () => done(null));
    });
    this.process.stdin?.on("error", () => {});
    const lines = createInterface({ input: this.process.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      if (!line.trim()) return;
      let message: RpcMessage;
      try {
        message = JSON.parse(line) as RpcMessage;
      } catch {
        return;
      }
      this.#onMessage(message, line);
    });
  }

  /** Sets who receives the child's messages. */
  onMessage(handler: (message: RpcMessage, line: string) => void): void {
    this.#onMessage = handler;
  }

  /** Sends a message (an object or an already serialized line). */
  send(message: RpcMessage | string): void {
    const line = typeof message === "string" ? message : JSON.stringify(message);
    this.process.stdin?.write(`${line}\n`);
  }

  /** Closes stdin (the server shuts down), then kills it if it lingers. */
  async stop(): Promise<void> {
    this.process.stdin?.end();
    const timer = setTimeout(() => this.process.kill("SIGTERM"), 2000);
    await this.exited;
    clearTimeout(timer);
  }
}
