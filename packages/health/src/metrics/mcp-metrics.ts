import { performance } from "node:perf_hooks";
import type { Context, SessionInfo } from "@mcpforge/core";
import { Gauge, Histogram, type Registry } from "prom-client";
import { BoundedLabel } from "./bounded.js";
import { labelSetRecorder } from "./fast-histogram.js";
import {
  ACTIVE_SESSIONS,
  DURATION_BUCKETS,
  IN_FLIGHT,
  OPERATION_DURATION,
  OTHER,
  SESSION_DURATION,
} from "./names.js";
import { errorTypeOf, isErrorResult } from "./outcome.js";

type OperationLabels = "mcp_method_name" | "gen_ai_tool_name" | "gen_ai_prompt_name" | "error_type";

/** The methods of the MCP specification (others count toward the bound of custom methods). */
const SPEC_METHODS = new Set([
  "initialize",
  "ping",
  "tools/list",
  "tools/call",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "resources/subscribe",
  "resources/unsubscribe",
  "prompts/list",
  "prompts/get",
  "completion/complete",
  "logging/setLevel",
]);

/** What the request outcome tells the readiness rule. */
export type OutcomeListener = (errorType: string | undefined) => void;

/** Options of {@link McpMetrics}. */
export interface McpMetricsOptions {
  /** Distinct tool (and prompt) names kept as label values; later ones become `_OTHER`. */
  maxNames: number;
}

/**
 * The MCP metrics of the conventions on a prom-client registry: the operation and session
 * duration histograms (advised buckets), active sessions and requests in flight. Label
 * values are bounded: a tool or prompt the server does not have is `_OTHER`, and so is any
 * name past `maxNames` or any custom method past 20.
 *
 * @example
 * import { Registry } from "prom-client";
 * const metrics = new McpMetrics(new Registry(), { maxNames: 100 });
 * app.use({ onRequest: (ctx, next) => metrics.measure(ctx, next) });
 */
export class McpMetrics {
  readonly #operation: Histogram<OperationLabels>;
  readonly #session: Histogram<"network_transport" | "mcp_protocol_version">;
  readonly #series = new Map<string, (seconds: number) => void>();
  readonly #tools: BoundedLabel;
  readonly #prompts: BoundedLabel;
  readonly #methods = new BoundedLabel(20);
  #sessions = 0;
  #inflight = 0;
  onOutcome: OutcomeListener | undefined;

  constructor(registry: Registry, options: McpMetricsOptions) {
    const registers = [registry];
    this.#tools = new BoundedLabel(options.maxNames);
    this.#prompts = new BoundedLabel(options.maxNames);
    this.#operation = new Histogram({
      name: OPERATION_DURATION,
      help: "MCP request duration as observed on the server, from receipt until the result is sent.",
      labelNames: ["mcp_method_name", "gen_ai_tool_name", "gen_ai_prompt_name", "error_type"],
      buckets: [...DURATION_BUCKETS],
      registers,
    });
    this.#session = new Histogram({
      name: SESSION_DURATION,
      help: "The duration of MCP sessions as observed on the server.",
      labelNames: ["network_transport", "mcp_protocol_version"],
      buckets: [...DURATION_BUCKETS],
      registers,
    });
    const self = this;
    new Gauge({
      name: ACTIVE_SESSIONS,
      help: "MCP sessions open now (stdio, in-memory and stateful HTTP).",
      registers,
      collect() {
        this.set(self.#sessions);
      },
    });
    new Gauge({
      name: IN_FLIGHT,
      help: "MCP requests being answered now.",
      registers,
      collect() {
        this.set(self.#inflight);
      },
    });
  }

  /** Runs `next()` and records its duration and outcome (a promise chain: no async frame). */
  measure(ctx: Context, next: () => Promise<unknown>): Promise<unknown> {
    const started = performance.now();
    this.#inflight++;
    const done = (errorType: string | undefined) => {
      this.#inflight--;
      this.#record(ctx, errorType)((performance.now() - started) / 1000);
      this.onOutcome?.(errorType);
    };
    let run: Promise<unknown>;
    try {
      run = next();
    } catch (err) {
      done(errorTypeOf(ctx, err));
      return Promise.reject(err);
    }
    return run.then(
      (result) => {
        done(isErrorResult(result) ? "tool_error" : undefined);
        return result;
      },
      (err: unknown) => {
        done(errorTypeOf(ctx, err));
        throw err;
      },
    );
  }

  /** The recorder of this request's label set in the operation histogram (one per set). */
  #record(ctx: Context, errorType: string | undefined): (seconds: number) => void {
    const method = SPEC_METHODS.has(ctx.method) ? ctx.method : this.#methods.of(ctx.method);
    let tool = "";
    let prompt = "";
    const component = ctx.component;
    if (method === "tools/call") {
      tool = component?.type === "tool" ? this.#tools.of(component.name) : OTHER;
    } else if (method === "prompts/get") {
      prompt = component?.type === "prompt" ? this.#prompts.of(component.name) : OTHER;
    }
    const key = `${method}\u0000${tool}\u0000${prompt}\u0000${errorType ?? ""}`;
    let record = this.#series.get(key);
    if (!record) {
      const labels: Partial<Record<OperationLabels, string>> = { mcp_method_name: method };
      if (tool !== "") labels.gen_ai_tool_name = tool;
      if (prompt !== "") labels.gen_ai_prompt_name = prompt;
      if (errorType !== undefined) labels.error_type = errorType;
      record = labelSetRecorder(this.#operation, labels);
      this.#series.set(key, record);
    }
    return record;
  }

  /** Counts a session that opened. */
  sessionOpened(): void {
    this.#sessions++;
  }

  /** Counts a session that closed and records how long it lasted. */
  sessionClosed(session: SessionInfo, durationMs: number): void {
    this.#sessions = Math.max(0, this.#sessions - 1);
    const labels: Partial<Record<"network_transport" | "mcp_protocol_version", string>> = {};
    if (session.transport === "stdio") labels.network_transport = "pipe";
    else if (session.transport === "http") labels.network_transport = "tcp";
    if (session.protocolVersion !== undefined)
      labels.mcp_protocol_version = session.protocolVersion;
    this.#session.observe(labels, durationMs / 1000);
  }
}
