import type {
  Annotations,
  CallToolResult,
  Icon,
  PromptMessage,
  ToolAnnotations,
} from "@modelcontextprotocol/sdk/types.js";
import type * as z from "zod";
import type { Context, Vars } from "../context/context.js";
import type { OutgoingRequestOptions, ResultSchema } from "../protocol/types.js";
import type { InferSchema, SchemaInput } from "../schema/schema.js";

/** The three kinds of lists that send `notifications/<kind>/list_changed`. */
export type ListKind = "tools" | "resources" | "prompts";

/** A registered component: keyed, and enabled or not. */
export interface Registered {
  readonly key: string;
  enabled: boolean;
}

/** A handle on one registered component to change it at runtime. */
export interface ComponentHandle {
  readonly name: string;
  readonly enabled: boolean;
  enable(): void;
  disable(): void;
  remove(): boolean;
}

/** A value or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/** Fields every component can carry. */
export interface ComponentOptions {
  /** A human-friendly display name. */
  title?: string;
  /** What it does; shown to the model. */
  description?: string;
  /** Server-side labels, used by middleware (auth, caching) and filtering. */
  tags?: string[];
  icons?: Icon[];
  _meta?: Record<string, unknown>;
  /** Start disabled with `false`. */
  enabled?: boolean;
}

/** Suggests completions for one argument or template variable. */
export type Completer = (
  value: string,
  context: { arguments: Record<string, string> },
) => MaybePromise<string[]>;

/** Options of `app.tool()`. */
export interface ToolOptions<
  I extends SchemaInput | undefined = undefined,
  O extends z.ZodObject | undefined = undefined,
> extends ComponentOptions {
  /** Input schema: a zod object or raw shape, or `jsonSchema({...})`. */
  input?: I;
  /** Output schema: results are validated against it and sent as `structuredContent`. */
  output?: O;
  annotations?: ToolAnnotations;
}

/** A tool handler: typed arguments and the request context. */
export type ToolHandler<I, O, V extends Vars = Vars> = (
  args: InferSchema<I>,
  ctx: Context<V>,
) => MaybePromise<O extends z.ZodObject ? z.input<O> | CallToolResult : unknown>;

/** Content of one resource: text, bytes, or explicit contents. */
export type ResourceContentInput =
  | string
  | Uint8Array
  | { text: string; mimeType?: string; uri?: string; _meta?: Record<string, unknown> }
  | { blob: string | Uint8Array; mimeType?: string; uri?: string; _meta?: Record<string, unknown> };

/** What a resource handler returns: content, a list of contents, or JSON data. */
export type ResourceReturn =
  | ResourceContentInput
  | ResourceContentInput[]
  | Record<string, unknown>;

/** Options of `app.resource()`. */
export interface ResourceOptions<P extends z.ZodRawShape | undefined = undefined>
  extends ComponentOptions {
  /** The component name (default: the URI). */
  name?: string;
  mimeType?: string;
  size?: number;
  annotations?: Annotations;
  /** Template only: a zod shape that validates (and may coerce) the URI variables. */
  params?: P;
  /** Template only: completions for URI variables. */
  complete?: Record<string, Completer>;
  /**
   * Template only — **unsafe**: variables whose decoded values reach the handler unchecked.
   * By default a value with `..`, a control character, a backslash or a drive prefix (and, for
   * a simple `{var}`, any `/`) is answered "resource not found" before the handler runs. List a
   * variable here only when the handler treats it as data, never as a path.
   */
  unsafeRaw?: readonly string[];
}

/** A static resource handler. */
export type ResourceHandler<V extends Vars = Vars> = (
  ctx: Context<V>,
  uri: string,
) => MaybePromise<ResourceReturn>;

/** A template handler: the matched (and validated) variables. */
export type TemplateHandler<P, V extends Vars = Vars> = (
  params: P extends z.ZodRawShape ? z.output<z.ZodObject<P>> : Record<string, string | string[]>,
  ctx: Context<V>,
  uri: string,
) => MaybePromise<ResourceReturn>;

/** Options of `app.prompt()`. */
export interface PromptOptions<A extends z.ZodRawShape | undefined = undefined>
  extends ComponentOptions {
  /** Declared arguments (strings from the client); required unless optional. */
  args?: A;
  /** Completions for arguments. */
  complete?: Record<string, Completer>;
}

/** What a prompt handler returns. */
export type PromptReturn =
  | string
  | PromptMessage
  | (PromptMessage | string)[]
  | { description?: string; messages: (PromptMessage | string)[] };

/** A prompt handler. */
export type PromptHandler<A, V extends Vars = Vars> = (
  args: A extends z.ZodRawShape ? z.output<z.ZodObject<A>> : Record<string, string>,
  ctx: Context<V>,
) => MaybePromise<PromptReturn>;

/** A JSON-RPC notification as sent to the client. */
export interface OutgoingNotification {
  method: string;
  params?: Record<string, unknown>;
}

/**
 * One request to a forwarded component: the caller's context, the method and its raw params,
 * and the request's channel to the calling client (notifications and server-to-client
 * requests travel with this request, e.g. on its HTTP stream).
 */
export interface ForwardedCall {
  /** The caller's request context (session, auth, signal, `ctx.var`). */
  readonly ctx: Context;
  /**
   * The MCP method: `tools/call`, `resources/read`, `prompts/get`, `completion/complete`, or
   * (for resources and templates) `resources/subscribe` / `resources/unsubscribe`, which a
   * forwarder answers with `{}` once the target has (un)subscribed.
   */
  readonly method: string;
  /** The request's params as the client sent them (with `_meta`). */
  readonly params: Record<string, unknown>;
  /**
   * Sends a notification to the calling client, tied to this request. `notifications/message`
   * is dropped below the session's `logging/setLevel` level; nothing is sent once the request
   * was cancelled.
   */
  notify(notification: OutgoingNotification): Promise<void>;
  /**
   * Sends a server-to-client request (`sampling/createMessage`, `elicitation/create`,
   * `roots/list`, …) tied to this request and resolves with the client's answer, checked with
   * `schema`. Cancelled with the request.
   */
  request<T = unknown>(
    request: { method: string; params?: Record<string, unknown> },
    schema: ResultSchema,
    options?: Pick<OutgoingRequestOptions, "timeout" | "signal">,
  ): Promise<T>;
}

/** Answers a forwarded request; what it returns is the result the client gets, as is. */
export type Forwarder = (call: ForwardedCall) => Promise<unknown>;
