import type { Readable, Writable } from "node:stream";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { McpForgeError } from "../errors/errors.js";
import { toJsonRpcError } from "../errors/json-rpc.js";
import { checkMessage } from "../protocol/validate.js";

/** Options of {@link StdioTransport}. */
export interface StdioTransportOptions {
  stdin?: Readable;
  stdout?: Writable;
  /** Longest accepted line in bytes (default 4 MiB); longer lines are answered with -32600. */
  maxLineBytes?: number;
}

function errorLine(kind: "parse_error" | "invalid_request", message: string): string {
  const error = toJsonRpcError(new McpForgeError(kind, message));
  return `${JSON.stringify({ jsonrpc: "2.0", id: null, error })}\n`;
}

/**
 * Newline-delimited JSON-RPC over stdin/stdout. A line that is not JSON is answered with
 * -32700 and the transport keeps running; EOF on stdin closes it.
 *
 * @example
 * await app.connect(new StdioTransport(), { transportName: "stdio" });
 */
export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #stdin: Readable;
  readonly #stdout: Writable;
  readonly #maxLineBytes: number;
  #chunks: Buffer[] = [];
  #size = 0;
  #discarding = false;
  #closed = false;

  constructor(options: StdioTransportOptions = {}) {
    this.#stdin = options.stdin ?? process.stdin;
    this.#stdout = options.stdout ?? process.stdout;
    this.#maxLineBytes = options.maxLineBytes ?? 4 * 1024 * 1024;
  }

  async start(): Promise<void> {
    this.#stdin.on("data", this.#onData);
    this.#stdin.on("end", this.#onEnd);
    this.#stdin.on("error", this.#onError);
    this.#stdout.on("error", this.#onStdoutError);
    this.#stdin.resume();
  }

  readonly #onData = (chunk: Buffer | string) => {
    let buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    let nl = buf.indexOf(10);
    while (nl !== -1) {
      this.#push(buf.subarray(0, nl));
      const line = Buffer.concat(this.#chunks);
      const discarded = this.#discarding;
      this.#chunks = [];
      this.#size = 0;
      this.#discarding = false;
      if (!discarded) this.#line(line.toString("utf8"));
      buf = buf.subarray(nl + 1);
      nl = buf.indexOf(10);
    }
    this.#push(buf);
  };

  #push(part: Buffer): void {
    if (this.#discarding || part.length === 0) return;
    this.#size += part.length;
    if (this.#size > this.#maxLineBytes) {
      this.#chunks = [];
      this.#size = 0;
      this.#discarding = true;
      this.#write(errorLine("invalid_request", "Message too large"));
      return;
    }
    this.#chunks.push(part);
  }

  #line(raw: string): void {
    const line = raw.trim();
    if (line.length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.#write(errorLine("parse_error", "Parse error"));
      return;
    }
    const checked = checkMessage(value);
    if (!checked.ok) {
      if (checked.answer) {
        const reply = { jsonrpc: "2.0", id: checked.id, error: checked.error };
        this.#write(`${JSON.stringify(reply)}\n`);
      }
      return;
    }
    try {
      this.onmessage?.(checked.message);
    } catch (err) {
      this.onerror?.(err as Error);
    }
  }

  readonly #onEnd = () => {
    void this.close();
  };

  readonly #onError = (err: Error) => {
    this.onerror?.(err);
  };

  /** The client stopped reading (EPIPE, a closed pipe): nothing can be answered any more. */
  readonly #onStdoutError = () => {
    void this.close();
  };

  #write(text: string): Promise<void> {
    return new Promise((resolve) => {
      if (this.#closed || this.#stdout.destroyed || !this.#stdout.writable) return resolve();
      if (this.#stdout.write(text)) resolve();
      else {
        // Resolve on drain, or when the pipe breaks (close) instead of waiting forever.
        const done = () => {
          this.#stdout.off("drain", done);
          this.#stdout.off("close", done);
          resolve();
        };
        this.#stdout.once("drain", done);
        this.#stdout.once("close", done);
      }
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return this.#write(`${JSON.stringify(message)}\n`);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stdin.off("data", this.#onData);
    this.#stdin.off("end", this.#onEnd);
    this.#stdin.off("error", this.#onError);
    // Keep a listener: a late EPIPE on stdout must not become an unhandled 'error' event.
    this.#stdout.off("error", this.#onStdoutError);
    this.#stdout.on("error", () => {});
    this.#stdin.pause();
    this.onclose?.();
  }
}
