import type { Context } from "@mcpforge/core";
import { MemberRun, memberJson, thousandthsJson } from "./json-text.js";
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
 * fields object, without making that object: the fixed fields' texts — those that mostly repeat
 * from request to request kept here, in {@link MemberRun}s — then the payload's. The fields
 * object is made only when pino writes the line.
 *
 * @example
 * declare const payload: import("./payload.js").PayloadLogging;
 * const lines = new RequestLines(payload);
 * const body = lines.line(ctx, "3f1c…", 1.25, "ok", undefined);
 * body.json(); // ',"method":"tools/call","component":"echo","outcome":"ok",…'
 */
export class RequestLines {
  readonly #payload: PayloadLogging;
  // The members that mostly repeat, in two runs around the three that change every request.
  readonly #head = new MemberRun("method", "component", "outcome");
  readonly #rest = new MemberRun("sessionId", "transport", "principal");

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
    const head = this.#head.of(ctx.method, componentOf(ctx), req.outcome);
    const durationMs = `,"durationMs":${thousandthsJson(req.durationMs)}`;
    const correlationId = memberJson(',"correlationId":', req.correlationId);
    const requestId = memberJson(',"requestId":', ctx.requestId);
    const rest = this.#rest.of(ctx.session.id, ctx.transport, ctx.auth?.clientId);
    if (head === null || correlationId === null || requestId === null || rest === null) {
      return undefined;
    }
    const tail = payloadJson(ctx, req.failure, this.#payload);
    if (tail === undefined) return undefined;
    return `${head}${durationMs}${correlationId}${requestId}${rest}${tail}`;
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
