import {
  type Context,
  isMcpForgeError,
  McpForgeError,
  type MiddlewareHooks,
  ToolError,
} from "@mcpforge/core";
import { createStderrLogger } from "@mcpforge/core/authoring";
import { correlationIdOf } from "../internal/correlation.js";
import { checkFunction, checkOptionsObject } from "../internal/options.js";

/** Options of {@link errorMasking}. */
export interface ErrorMaskingOptions {
  /**
   * Whether an error's message may reach the client (default: `ToolError` and `McpForgeError`).
   * Everything else becomes `Internal error (correlation id: …)`.
   */
  expose?: (err: unknown) => boolean;
  /**
   * Called for every error that passes through (exposed or not), with the request's
   * correlation id — report it to your error tracker here. Default: masked errors are written,
   * with their stack, as one JSON line on stderr. An exception thrown here is ignored.
   */
  onError?: (err: unknown, ctx: Context, correlationId: string) => void;
}

/** The `ctx.var` fields {@link errorMasking} adds. */
export type ErrorMaskingVars = {
  /** This request's correlation id (reused when an earlier middleware set one). */
  correlationId: string;
};

/**
 * Tells whether an error is one MCP Forge shows to clients by default: a `ToolError` or an
 * `McpForgeError` (also across package copies).
 */
function exposedByDefault(err: unknown): boolean {
  return (
    err instanceof ToolError ||
    isMcpForgeError(err) ||
    (err instanceof Error && err.name === "ToolError")
  );
}

/**
 * The error masking policy as a middleware: errors that `expose` accepts keep their message;
 * any other error is replaced by `McpForgeError("internal", "Internal error (correlation id: …)")`
 * with `{ correlationId }` as its data. For a tool call whose handler started, core turns that
 * into an `isError` result; for anything else it is a JSON-RPC error. Install it early (first)
 * so it sees the errors of every later middleware.
 *
 * @example
 * import { errorMasking } from "@mcpforge/middleware/errors";
 * app.use(
 *   errorMasking({
 *     expose: (err) => err instanceof Error && err.name === "ValidationError",
 *     onError: (err, ctx, correlationId) => console.error(correlationId, ctx.method, err), // or your error tracker
 *   }),
 * );
 */
export function errorMasking(options?: ErrorMaskingOptions): MiddlewareHooks<ErrorMaskingVars> {
  const opts = checkOptionsObject("errorMasking", options);
  checkFunction("errorMasking", "expose", opts.expose);
  checkFunction("errorMasking", "onError", opts.onError);
  const expose = opts.expose ?? exposedByDefault;
  let defaultLogger: ReturnType<typeof createStderrLogger> | undefined;
  const report =
    opts.onError ??
    ((err: unknown, ctx: Context, correlationId: string) => {
      if (safeExpose(expose, err)) return;
      defaultLogger ??= createStderrLogger("@mcpforge/middleware/errors");
      const e = err instanceof Error ? err : new Error(String(err));
      defaultLogger.error("unhandled error", {
        correlationId,
        method: ctx.method,
        component: ctx.component?.name,
        sessionId: ctx.session.id,
        error: { name: e.name, message: e.message, stack: e.stack },
      });
    });

  return {
    name: "errorMasking",
    // A promise chain, not an async frame: one promise less per request.
    onRequest: (ctx, next) =>
      next().then(undefined, (err: unknown) => {
        const correlationId = correlationIdOf(ctx);
        try {
          report(err, ctx as Context, correlationId);
        } catch {
          // A failing reporter must not change the answer.
        }
        if (safeExpose(expose, err)) throw asExposed(err);
        throw new McpForgeError("internal", `Internal error (correlation id: ${correlationId})`, {
          data: { correlationId },
          cause: err,
        });
      }),
  };
}

/** An exposed error in a form core passes through with its message. */
function asExposed(err: unknown): unknown {
  if (err instanceof ToolError || isMcpForgeError(err)) return err;
  if (err instanceof Error) {
    if (err.name === "McpError" && typeof (err as { code?: unknown }).code === "number") return err;
    if (err.name === "ToolError") return new ToolError(err.message, { cause: err });
    return new McpForgeError("internal", err.message, { cause: err });
  }
  return new McpForgeError("internal", String(err));
}

function safeExpose(expose: (err: unknown) => boolean, err: unknown): boolean {
  try {
    return expose(err) === true;
  } catch {
    return false;
  }
}
