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

type Recorder = (seconds: number) => void;

/** The recorders of one method and component's label values, by `error_type` (made on first use). */
class Outcomes {
  readonly #make: (errorType: string | undefined) => Recorder;
  #ok: Recorder | undefined;
  readonly #failed = new Map<string, Recorder>();

  constructor(make: (errorType: string | undefined) => Recorder) {
    this.#make = make;
  }

  of(errorType: string | undefined): Recorder {
    if (errorType === undefined) {
      this.#ok ??= this.#make(undefined);
      return this.#ok;
    }
    let record = this.#failed.get(errorType);
    if (!record) {
      record = this.#make(errorType);
      this.#failed.set(errorType, record);
    }
    return record;
  }
}

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
  readonly #series = new Map<string, Recorder>();
  /** By method label: the outcomes' recorders of requests with no component label, and by component. */
  readonly #kinds = new Map<
    string,
    { plain: Outcomes | undefined; byComponent: WeakMap<object, Outcomes> }
  >();
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
    let run: Promise<unknown>;
    try {
      run = next();
    } catch (err) {
      this.#done(ctx, started, errorTypeOf(ctx, err));
      return Promise.reject(err);
    }
    return run.then(
      (result) => {
        this.#done(ctx, started, isErrorResult(result) ? "tool_error" : undefined);
        return result;
      },
      (err: unknown) => {
        this.#done(ctx, started, errorTypeOf(ctx, err));
        throw err;
      },
    );
  }

  #done(ctx: Context, started: number, errorType: string | undefined): void {
    this.#inflight--;
    this.#outcomes(ctx).of(errorType)((performance.now() - started) / 1000);
    this.onOutcome?.(errorType);
  }

  /**
   * The recorders of this request's method and component label values, by outcome: looked up
   * by the method's label and the component object (a tool's or prompt's info, the same object
   * on every call), so a call builds no label key. Label values never change once given (a
   * bounded label keeps what it let in, and `_OTHER` stays `_OTHER`).
   */
  #outcomes(ctx: Context): Outcomes {
    const method = SPEC_METHODS.has(ctx.method) ? ctx.method : this.#methods.of(ctx.method);
    let kind = this.#kinds.get(method);
    if (!kind) {
      kind = { plain: undefined, byComponent: new WeakMap() };
      this.#kinds.set(method, kind);
    }
    const component = ctx.component;
    const named =
      component !== undefined &&
      ((method === "tools/call" && component.type === "tool") ||
        (method === "prompts/get" && component.type === "prompt"));
    let outcomes = named ? kind.byComponent.get(component) : kind.plain;
    if (!outcomes) {
      let tool = "";
      let prompt = "";
      const name = named ? component.name : undefined;
      if (method === "tools/call") tool = name === undefined ? OTHER : this.#tools.of(name);
      else if (method === "prompts/get") {
        prompt = name === undefined ? OTHER : this.#prompts.of(name);
      }
      outcomes = new Outcomes((errorType) => this.#recorder(method, tool, prompt, errorType));
      if (named) kind.byComponent.set(component, outcomes);
      else kind.plain = outcomes;
    }
    return outcomes;
  }

  /** The recorder of one label set in the operation histogram (one per set). */
  #recorder(method: string, tool: string, prompt: string, errorType: string | undefined): Recorder {
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
