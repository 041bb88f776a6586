import type { Context } from "@mcpforge/core";
import { MemberText } from "./json-text.js";
import type { LineBody } from "./line.js";
import { type PayloadLogging, payloadJson } from "./payload.js";

/**
 * How a request ended: answered, failed, or answered with a tool error.
 *
 * @example
 * const outcome: Outcome = "tool_error";
 */
export type Outcome = "ok" | "error" | "tool_error";

/**
 * The lines of `logging()`'s requests: {@link RequestLines.line} makes one request's line
 * body. Its JSON text is written member by member, as `JSON.stringify` would write the line's
 * fields object, without making that object: the fixed fields' texts come from {@link MemberText}s
 * kept here (most of them repeat from request to request), then the payload's. The fields
 * object is made only when pino writes the line.
 *
 * @example
 * const lines = new RequestLines(payload);
 * const body = lines.line(ctx, "3f1c…", 1.25, "ok", undefined);
 * body.json(); // ',"method":"tools/call","component":"echo","outcome":"ok",…'
 */
export class RequestLines {
  readonly #payload: PayloadLogging;
  readonly #method = new MemberText("method");
  readonly #component = new MemberText("component");
  readonly #outcome = new MemberText("outcome");
  readonly #durationMs = new MemberText("durationMs");
  readonly #correlationId = new MemberText("correlationId");
  readonly #requestId = new MemberText("requestId");
  readonly #sessionId = new MemberText("sessionId");
  readonly #transport = new MemberText("transport");
  readonly #principal = new MemberText("principal");

  constructor(payload: PayloadLogging) {
    this.#payload = payload;
  }

  /** One request's line body (nothing is serialized until the line is written). */
  line(
    ctx: Context,
    correlationId: string,
    durationMs: number,
    outcome: Outcome,
    failure: unknown,
  ): LineBody {
    return new RequestLine(this, ctx, correlationId, durationMs, outcome, failure);
  }

  /** {@link LineBody.json} of a request's line. */
  json(req: Request): string | undefined {
    const { ctx } = req;
    // In the order of the fields object (see fields()); null: pino must write the line.
    const method = this.#method.of(ctx.method);
    const component = this.#component.of(componentOf(ctx));
    const outcome = this.#outcome.of(req.outcome);
    const durationMs = this.#durationMs.of(req.durationMs);
    const correlationId = this.#correlationId.of(req.correlationId);
    const requestId = this.#requestId.of(ctx.requestId);
    const sessionId = this.#sessionId.of(ctx.session.id);
    const transport = this.#transport.of(ctx.transport);
    const principal = this.#principal.of(ctx.auth?.clientId);
    if (
      method === null ||
      component === null ||
      outcome === null ||
      durationMs === null ||
      correlationId === null ||
      requestId === null ||
      sessionId === null ||
      transport === null ||
      principal === null
    ) {
      return undefined;
    }
    const tail = payloadJson(ctx, req.failure, this.#payload);
    if (tail === undefined) return undefined;
    return `${method}${component}${outcome}${durationMs}${correlationId}${requestId}${sessionId}${transport}${principal}${tail}`;
  }

  /** {@link LineBody.fields} of a request's line: what pino is given. */
  fields(req: Request): Record<string, unknown> {
    const { ctx } = req;
    const fields: Record<string, unknown> = {
      method: ctx.method,
      component: componentOf(ctx),
      outcome: req.outcome,
      durationMs: req.durationMs,
      correlationId: req.correlationId,
      requestId: ctx.requestId,
      sessionId: ctx.session.id,
      transport: ctx.transport,
      principal: ctx.auth?.clientId,
    };
    payloadJson(ctx, req.failure, this.#payload, fields);
    return fields;
  }
}

/** What a request's line is made of. */
interface Request {
  readonly ctx: Context;
  readonly correlationId: string;
  readonly durationMs: number;
  readonly outcome: Outcome;
  readonly failure: unknown;
}

/** One request's line body: what it is made of, written by its {@link RequestLines}. */
class RequestLine implements LineBody, Request {
  readonly #lines: RequestLines;
  readonly ctx: Context;
  readonly correlationId: string;
  readonly durationMs: number;
  readonly outcome: Outcome;
  readonly failure: unknown;

  constructor(
    lines: RequestLines,
    ctx: Context,
    correlationId: string,
    durationMs: number,
    outcome: Outcome,
    failure: unknown,
  ) {
    this.#lines = lines;
    this.ctx = ctx;
    this.correlationId = correlationId;
    this.durationMs = durationMs;
    this.outcome = outcome;
    this.failure = failure;
  }

  json(): string | undefined {
    return this.#lines.json(this);
  }

  fields(): Record<string, unknown> {
    return this.#lines.fields(this);
  }
}

function componentOf(ctx: Context): string | undefined {
  return ctx.component?.name ?? componentFromParams(ctx);
}

function componentFromParams(ctx: Context): string | undefined {
  const name = ctx.params.name ?? ctx.params.uri;
  return typeof name === "string" ? name.slice(0, 200) : undefined;
}
