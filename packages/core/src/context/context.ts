import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type {
  CreateMessageRequest,
  CreateMessageResult,
  ElicitRequestFormParams,
  ListRootsResult,
  LoggingLevel,
  ReadResourceResult,
  Root,
  ElicitResult as SdkElicitResult,
} from "@modelcontextprotocol/sdk/types.js";
import * as z from "zod";
import { McpForgeError } from "../errors/errors.js";
import { type SdkTypes, sdkTypes } from "../protocol/sdk-types.js";
import type { Session, SessionInfo } from "../protocol/session.js";
import type { RequestExtra, RequestInfo, ResultSchema } from "../protocol/types.js";

/** The shape of `ctx.var`: values middleware adds for later handlers. */
export type Vars = Record<string, unknown>;

/** Logging through MCP `notifications/message`, filtered by the session's level. */
export interface ContextLogger {
  debug(data: unknown, logger?: string): Promise<void>;
  info(data: unknown, logger?: string): Promise<void>;
  notice(data: unknown, logger?: string): Promise<void>;
  warning(data: unknown, logger?: string): Promise<void>;
  error(data: unknown, logger?: string): Promise<void>;
}

/** What a handler is serving: the component resolved for this request, if any. */
export interface ComponentInfo {
  readonly type: "tool" | "resource" | "template" | "prompt";
  readonly name: string;
  /** The registry key: the tool or prompt name, the resource URI, or the URI template. */
  readonly key: string;
  readonly tags: ReadonlySet<string>;
  readonly annotations?: Readonly<Record<string, unknown>> | undefined;
  readonly meta?: Readonly<Record<string, unknown>> | undefined;
}

/** Options for {@link Context.sample}. */
export type SampleOptions = Partial<Omit<CreateMessageRequest["params"], "messages">>;

/** The answer of {@link Context.elicit}. */
export type ElicitResult<T> =
  | { action: "accept"; content: T }
  | { action: "decline" | "cancel"; content?: undefined };

/** Host services the context calls back into (implemented by the app). */
export interface ContextHost {
  /** Reads one of the server's resources on behalf of a request (its session, signal, auth). */
  readResource<V2 extends Vars>(
    uri: string,
    ctx: Context<V2>,
    session: Session,
  ): Promise<ReadResourceResult>;
}

type Extra = RequestExtra;

/** A request sent on behalf of the current one (to the client, or to a backend), as {@link OutgoingWrapper}s see it. */
export interface OutgoingRequest {
  method: string;
  params?: Record<string, unknown> | undefined;
}

/**
 * Wraps the requests sent on behalf of the current one: may pass `send` a changed request (say,
 * with entries added to `params._meta`) and observe the answer. Calls `send` at most once.
 */
export type OutgoingWrapper = (
  request: OutgoingRequest,
  send: (request: OutgoingRequest) => Promise<unknown>,
) => Promise<unknown>;

/** `AbortSignal.any` (Node ≥ 20.3), or the same by hand. */
function anySignal(signals: AbortSignal[]): AbortSignal {
  if (typeof AbortSignal.any === "function") return AbortSignal.any(signals);
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}

/** Marks that the tool handler of this request was invoked (set in {@link Context}'s static block). */
let markHandlerStarted: (ctx: Context) => void;
/** Whether {@link markHandlerStarted} was called for this context (false for anything else). */
let handlerStarted: (ctx: object) => boolean;

/**
 * The request context every middleware and handler receives.
 *
 * @example
 * app.tool("work", {}, async (_args, ctx) => {
 *   await ctx.log.info("starting");
 *   await ctx.progress(1, 2);
 *   return "done";
 * });
 */
export class Context<V extends Vars = Vars> {
  /** The MCP method, e.g. `tools/call`. */
  readonly method: string;
  /** The request's params (read-only by convention). */
  readonly params: Record<string, unknown>;
  /** Values added by middleware. */
  readonly var: V;
  /** The authenticated principal, when an auth layer set one. */
  auth: AuthInfo | undefined;
  /** The component this request targets (a tool for `tools/call`, ...), when known. */
  component: ComponentInfo | undefined;
  readonly #session: Session;
  readonly #extra: Extra;
  readonly #host: ContextHost;
  #log: ContextLogger | undefined;
  #linked: (AbortSignal | (() => AbortSignal))[] | undefined;
  #combined: AbortSignal | undefined;
  #wrappers: OutgoingWrapper[] | undefined;
  /** The tool handler was invoked: a field, not a WeakSet entry (those cost a GC barrier each). */
  #handlerStarted = false;

  static {
    markHandlerStarted = (ctx) => {
      ctx.#handlerStarted = true;
    };
    handlerStarted = (ctx) => #handlerStarted in ctx && (ctx as Context).#handlerStarted;
  }

  constructor(host: ContextHost, session: Session, method: string, params: unknown, extra: Extra) {
    this.#host = host;
    this.#session = session;
    this.#extra = extra;
    this.method = method;
    this.params = (params ?? {}) as Record<string, unknown>;
    this.var = {} as V;
    this.auth = extra.authInfo;
    this.component = undefined;
  }

  /** The JSON-RPC id of this request. */
  get requestId(): string | number {
    return this.#extra.requestId;
  }

  /**
   * Fires when the client cancels the request or the session ends — or when a signal linked
   * with {@link Context.linkSignal} (e.g. a timeout) aborts.
   */
  get signal(): AbortSignal {
    if (!this.#linked) return this.#extra.signal;
    this.#combined ??= anySignal([
      this.#extra.signal,
      ...this.#linked.map((s) => (typeof s === "function" ? s() : s)),
    ]);
    return this.#combined;
  }

  /**
   * Calls `listener` with the reason when {@link Context.signal} aborts (at once if it already
   * has) and returns the function that stops listening. Unlike listening on `ctx.signal`, this
   * makes no `AbortSignal` when the transport makes it lazily (stateless HTTP, stdio, the
   * in-memory transport): a per-call saving for code on a hot path, such as a proxy forwarding
   * the cancellation of every call.
   *
   * @example
   * app.tool("wait", {}, (_args, ctx) =>
   *   new Promise((resolve) => {
   *     const timer = setTimeout(() => {
   *       stop();
   *       resolve("done");
   *     }, 1000);
   *     const stop = ctx.onAbort(() => {
   *       clearTimeout(timer);
   *       resolve("cancelled");
   *     });
   *   }),
   * );
   */
  onAbort(listener: (reason: unknown) => void): () => void {
    const extra = this.#extra;
    if (!this.#linked && extra.onAbort) return extra.onAbort(listener);
    const signal = this.signal;
    if (signal.aborted) {
      listener(signal.reason);
      return () => {};
    }
    const onAbort = () => listener(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    return () => signal.removeEventListener("abort", onAbort);
  }

  /**
   * Makes `ctx.signal` also abort when `signal` does (its reason becomes the reason). Pass a
   * function to create the signal only if someone reads `ctx.signal`. Link before the handler
   * reads `ctx.signal`: a signal already handed out does not change.
   *
   * @example
   * app.use({
   *   onCallTool: (ctx, next) => {
   *     ctx.linkSignal(AbortSignal.timeout(5_000));
   *     return next();
   *   },
   * });
   */
  linkSignal(signal: AbortSignal | (() => AbortSignal)): void {
    if (typeof signal !== "function" && !(signal instanceof AbortSignal)) {
      throw new TypeError("ctx.linkSignal() needs an AbortSignal or a function returning one");
    }
    this.#linked ??= [];
    this.#linked.push(signal);
    this.#combined = undefined;
  }

  /** The session: its id and per-session state. */
  get session(): SessionInfo {
    return this.#session;
  }

  /** The transport serving this request: `stdio`, `memory`, `http` or a custom name. */
  get transport(): string {
    return this.#session.transport;
  }

  /** HTTP request details (headers, client address), when served over HTTP. */
  get http(): RequestInfo | undefined {
    const info = this.#extra.requestInfo;
    if (!info) return undefined;
    const out: RequestInfo = { headers: info.headers };
    if (info.url) out.url = info.url;
    if (info.remoteAddress) out.remoteAddress = info.remoteAddress;
    return out;
  }

  /**
   * Adds a header to this request's HTTP answer (ignored on stdio and in-memory, and once the
   * answer has started). Returns whether the transport supports it.
   *
   * @example
   * ctx.setResponseHeader("server-timing", "tool;dur=12.5");
   */
  setResponseHeader(name: string, value: string): boolean {
    const headers = this.#extra.responseHeaders;
    if (!headers) return false;
    headers[lowerCaseName(name)] = value;
    return true;
  }

  /** Log notifications to the client, honouring its `logging/setLevel`. */
  get log(): ContextLogger {
    if (this.#log) return this.#log;
    const send = (level: LoggingLevel) => (data: unknown, logger?: string) =>
      this.#sendLog(level, data, logger);
    this.#log = {
      debug: send("debug"),
      info: send("info"),
      notice: send("notice"),
      warning: send("warning"),
      error: send("error"),
    };
    return this.#log;
  }

  async #sendLog(level: LoggingLevel, data: unknown, logger?: string): Promise<void> {
    if (!this.#session.wantsLog(level)) return;
    const params: { level: LoggingLevel; data: unknown; logger?: string } = { level, data };
    if (logger !== undefined) params.logger = logger;
    await this.#extra.sendNotification({ method: "notifications/message", params });
  }

  /**
   * Reports progress when the client asked for it (a `progressToken` in `_meta`), echoing
   * the token exactly; a no-op otherwise.
   */
  async progress(progress: number, total?: number, message?: string): Promise<void> {
    const token = this.#extra._meta?.progressToken;
    if (token === undefined) return;
    const params: Record<string, unknown> = { progressToken: token, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    await this.#extra.sendNotification({
      method: "notifications/progress",
      params: params as { progressToken: string | number; progress: number },
    });
  }

  /**
   * Wraps every request sent on behalf of this one: the server-to-client requests of
   * `ctx.sample()`, `ctx.elicit()` and `ctx.roots()`, and whatever goes through
   * {@link Context.outgoing}. The first wrapper added is the outermost.
   *
   * @example
   * app.use(async (ctx, next) => {
   *   ctx.wrapOutgoing((request, send) =>
   *     send({ ...request, params: { ...request.params, _meta: { "example.com/origin": "gateway" } } }),
   *   );
   *   return next();
   * });
   */
  wrapOutgoing(wrapper: OutgoingWrapper): void {
    if (typeof wrapper !== "function") throw new TypeError("ctx.wrapOutgoing() needs a function");
    this.#wrappers ??= [];
    this.#wrappers.push(wrapper);
  }

  /**
   * Sends a request on behalf of this one through the wrappers added with
   * {@link Context.wrapOutgoing}; `send` does the sending (e.g. a proxy's call to its backend).
   *
   * @example
   * // `send` takes the request to the peer: e.g. an SDK client's call to a proxied backend
   * const send = async (request: OutgoingRequest) => ({ content: [], sent: request.method });
   * const result = await ctx.outgoing({ method: "tools/call", params: { name: "search" } }, send);
   */
  outgoing<T>(
    request: OutgoingRequest,
    send: (request: OutgoingRequest) => Promise<T>,
  ): Promise<T> {
    const wrappers = this.#wrappers;
    if (!wrappers) return send(request);
    const run = (i: number, r: OutgoingRequest): Promise<unknown> => {
      const wrapper = wrappers[i];
      if (!wrapper) return send(r);
      let called = false;
      return wrapper(r, (next) => {
        if (called) return Promise.reject(new Error("send() called multiple times"));
        called = true;
        return run(i + 1, next);
      });
    };
    return run(0, request) as Promise<T>;
  }

  /** Sends a request to the client; its answer is checked with the SDK schema `pick` names. */
  async #sendRequest<T>(
    request: OutgoingRequest,
    pick: (sdk: SdkTypes) => ResultSchema,
  ): Promise<T> {
    const schema = pick(await sdkTypes());
    return this.outgoing(request, (r) =>
      this.#extra.sendRequest<T>(r, schema, { signal: this.signal }),
    );
  }

  #require(capability: "sampling" | "elicitation" | "roots", what: string): void {
    if (!this.#session.clientCapabilities?.[capability]) {
      throw new McpForgeError(
        "capability_missing",
        `The client does not support ${what} (it did not declare the "${capability}" capability)`,
      );
    }
  }

  /**
   * Asks the client's LLM for a completion (`sampling/createMessage`).
   *
   * @example
   * const reply = await ctx.sample("Summarize: ...", { maxTokens: 200 });
   */
  async sample(
    prompt: string | CreateMessageRequest["params"]["messages"],
    options: SampleOptions = {},
  ): Promise<CreateMessageResult> {
    this.#require("sampling", "sampling");
    const messages =
      typeof prompt === "string"
        ? [{ role: "user" as const, content: { type: "text" as const, text: prompt } }]
        : prompt;
    const params = { maxTokens: 1000, ...options, messages } as CreateMessageRequest["params"];
    return this.#sendRequest<CreateMessageResult>(
      { method: "sampling/createMessage", params },
      (sdk) => sdk.CreateMessageResultSchema,
    );
  }

  /**
   * Asks the user for structured input (`elicitation/create`). With a zod object the
   * accepted content is validated and typed.
   *
   * @example
   * const r = await ctx.elicit("Your name?", z.object({ name: z.string() }));
   * if (r.action === "accept") return `Hello ${r.content.name}`;
   */
  async elicit<S extends z.ZodObject>(
    message: string,
    schema: S | ElicitRequestFormParams["requestedSchema"],
  ): Promise<ElicitResult<S extends z.ZodObject ? z.output<S> : Record<string, unknown>>> {
    this.#require("elicitation", "elicitation");
    const isZod = schema instanceof z.ZodObject;
    let requestedSchema: ElicitRequestFormParams["requestedSchema"];
    if (isZod) {
      const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io: "input" }) as Record<
        string,
        unknown
      >;
      requestedSchema = json as ElicitRequestFormParams["requestedSchema"];
    } else {
      requestedSchema = schema as ElicitRequestFormParams["requestedSchema"];
    }
    const result = await this.#sendRequest<SdkElicitResult>(
      { method: "elicitation/create", params: { message, requestedSchema } },
      (sdk) => sdk.ElicitResultSchema,
    );
    if (result.action !== "accept") return { action: result.action };
    if (!isZod) return { action: "accept", content: (result.content ?? {}) as never };
    const parsed = (schema as z.ZodObject).safeParse(result.content ?? {});
    if (!parsed.success) {
      throw new McpForgeError(
        "invalid_params",
        `The elicitation answer does not match the requested schema: ${parsed.error.issues
          .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
          .join("; ")}`,
      );
    }
    return { action: "accept", content: parsed.data as never };
  }

  /**
   * Lists the client's roots (`roots/list`).
   *
   * @example
   * const roots = await ctx.roots();
   */
  async roots(): Promise<Root[]> {
    this.#require("roots", "roots");
    const result = await this.#sendRequest<ListRootsResult>(
      { method: "roots/list" },
      (sdk) => sdk.ListRootsResultSchema,
    );
    return result.roots;
  }

  /**
   * Closes this request's SSE stream early (SEP-1699) so the client reconnects and resumes;
   * returns false where the transport cannot (stdio, in-memory, JSON answers).
   *
   * @example
   * ctx.closeSSEStream();
   */
  closeSSEStream(): boolean {
    const close = this.#extra.closeSSEStream;
    if (!close) return false;
    return close() !== false;
  }

  /**
   * Reads one of this server's own resources.
   *
   * @example
   * const { contents } = await ctx.readResource("config://app");
   */
  readResource(uri: string): Promise<ReadResourceResult> {
    return this.#host.readResource(uri, this, this.#session);
  }
}

/**
 * Records that the tool handler of this request was invoked (errors after that point become
 * `isError` results). Internal to core: `handlers/tools.ts` calls it.
 *
 * @example
 * markToolHandlerStarted(ctx);
 * isToolHandlerStarted(ctx); // true
 */
export function markToolHandlerStarted(ctx: Context): void {
  markHandlerStarted(ctx);
}

/**
 * Whether {@link markToolHandlerStarted} was called for this context; false for any object that
 * is not a {@link Context}.
 *
 * @example
 * isToolHandlerStarted(ctx); // false until the tool's handler runs
 */
export function isToolHandlerStarted(ctx: object): boolean {
  return handlerStarted(ctx);
}

/** The last header name lowercased, and its lowercase form: middleware set the same few. */
let lastName = "";
let lastLower = "";

/** `name.toLowerCase()`, remembered for the name set last (most calls repeat it). */
function lowerCaseName(name: string): string {
  if (name !== lastName) {
    lastName = name;
    lastLower = name.toLowerCase();
  }
  return lastLower;
}
