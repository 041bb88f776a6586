import { createInterface } from "node:readline";
import { c, say } from "../internal/ui.js";
import { ChildServer, idKey, type RpcMessage } from "./child-server.js";

const DEV_ID = "mcpforge-dev:";
const HANDSHAKE_TIMEOUT_MS = 30_000;
const LIST_CHANGED = ["tools", "resources", "prompts"].map(
  (k) => `notifications/${k}/list_changed`,
);

/**
 * The `mcpforge dev` proxy: the client talks to this process over stdio and keeps its
 * connection while the server child is replaced. A new child gets the client's `initialize`,
 * log level and subscriptions replayed; the client then gets list_changed notifications. A
 * child that fails to start (a syntax error) never replaces the running one.
 */
export class StdioProxy {
  readonly #target: string;
  #current: ChildServer | undefined;
  #initialize: RpcMessage | undefined;
  #initialized = false;
  #logLevel: unknown;
  readonly #subscriptions = new Set<string>();
  /** Client requests sent to the current child and not answered yet. */
  readonly #pending = new Map<string, string | number>();
  #sequence = 0;
  #restarting = false;
  #again = false;

  constructor(target: string) {
    this.#target = target;
  }

  /** Starts the first child and begins relaying stdin/stdout. */
  start(onClientGone: () => void): void {
    this.#adopt(new ChildServer(this.#target));
    const lines = createInterface({ input: process.stdin });
    lines.on("line", (line) => this.#fromClient(line));
    lines.on("close", onClientGone);
  }

  #toClient(message: RpcMessage | string): void {
    process.stdout.write(`${typeof message === "string" ? message : JSON.stringify(message)}\n`);
  }

  #fail(id: string | number, message: string): void {
    this.#toClient({ jsonrpc: "2.0", id, error: { code: -32603, message } });
  }

  #fromClient(line: string): void {
    if (!line.trim()) return;
    let m: RpcMessage;
    try {
      m = JSON.parse(line) as RpcMessage;
    } catch {
      this.#current?.send(line);
      return;
    }
    const child = this.#current;
    if (m.method !== undefined && m.id !== undefined && m.id !== null) {
      if (m.method === "initialize") this.#initialize = m;
      if (m.method === "logging/setLevel") this.#logLevel = m.params;
      const uri = (m.params as { uri?: string } | undefined)?.uri;
      if (m.method === "resources/subscribe" && uri) this.#subscriptions.add(uri);
      if (m.method === "resources/unsubscribe" && uri) this.#subscriptions.delete(uri);
      if (!child) {
        this.#fail(m.id, "mcpforge dev: the server is not running; fix the error and save");
        return;
      }
      this.#pending.set(idKey(m.id), m.id);
      child.send(line);
      return;
    }
    if (m.method === "notifications/initialized") this.#initialized = true;
    if (m.method !== undefined) {
      child?.send(line);
      return;
    }
    // A response to a server→client request: only the child that asked gets it.
    const key = idKey(m.id);
    if (child?.outstanding.delete(key)) child.send(line);
  }

  /** Makes a child the current one: its messages go to the client. */
  #adopt(child: ChildServer): void {
    this.#current = child;
    child.onMessage((m, line) => {
      if (m.method !== undefined) {
        if (m.id !== undefined && m.id !== null) child.outstanding.add(idKey(m.id));
        this.#toClient(line);
        return;
      }
      if (typeof m.id === "string" && m.id.startsWith(DEV_ID)) return;
      this.#pending.delete(idKey(m.id));
      this.#toClient(line);
    });
    void child.exited.then((code) => {
      if (this.#current !== child) return;
      this.#current = undefined;
      this.#failPending("mcpforge dev: the server exited");
      say(c.red(`Server exited (code ${code}); waiting for a change to restart it`));
    });
  }

  #failPending(message: string): void {
    for (const id of this.#pending.values()) this.#fail(id, message);
    this.#pending.clear();
  }

  /** Replays the client's session set-up on a new child; resolves false if it fails to start. */
  async #handshake(child: ChildServer): Promise<boolean> {
    const init = this.#initialize;
    if (!init) return true;
    const id = `${DEV_ID}${++this.#sequence}`;
    const answered = new Promise<boolean>((done) => {
      child.onMessage((m) => {
        if (m.id === id) done(m.error === undefined);
      });
      void child.exited.then(() => done(false));
      setTimeout(() => done(false), HANDSHAKE_TIMEOUT_MS).unref();
    });
    child.send({ jsonrpc: "2.0", id, method: "initialize", params: init.params });
    if (!(await answered)) return false;
    if (this.#initialized) child.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    if (this.#logLevel !== undefined) {
      child.send({
        jsonrpc: "2.0",
        id: `${DEV_ID}${++this.#sequence}`,
        method: "logging/setLevel",
        params: this.#logLevel,
      });
    }
    for (const uri of this.#subscriptions) {
      child.send({
        jsonrpc: "2.0",
        id: `${DEV_ID}${++this.#sequence}`,
        method: "resources/subscribe",
        params: { uri },
      });
    }
    return true;
  }

  /** Starts a new child; swaps it in if it starts, else keeps the running one. */
  async restart(): Promise<void> {
    if (this.#restarting) {
      this.#again = true;
      return;
    }
    this.#restarting = true;
    try {
      const started = performance.now();
      const next = new ChildServer(this.#target);
      if (!(await this.#handshake(next))) {
        await next.stop();
        say(
          c.red(
            this.#current ? "Restart failed; the last good server keeps running" : "Start failed",
          ),
        );
        return;
      }
      const previous = this.#current;
      this.#adopt(next);
      this.#failPending("mcpforge dev: the server restarted; retry");
      if (previous) {
        previous.onMessage(() => {}); // late answers of the old child would duplicate the errors sent
        void previous.stop();
      }
      if (this.#initialized)
        for (const method of LIST_CHANGED) this.#toClient({ jsonrpc: "2.0", method });
      say(c.green(`Restarted in ${Math.round(performance.now() - started)} ms`));
    } finally {
      this.#restarting = false;
      if (this.#again) {
        this.#again = false;
        void this.restart();
      }
    }
  }

  /** Stops the current child. */
  async stop(): Promise<void> {
    const child = this.#current;
    this.#current = undefined;
    await child?.stop();
  }
}
