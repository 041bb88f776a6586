import { randomUUID } from "node:crypto";
import type { ServerLogger } from "../internal/logger.js";

/** What a client sees of an unexpected error. */
export interface MaskedError {
  message: string;
  correlationId: string;
}

/**
 * Logs an unexpected error in full on the server log and returns the generic message
 * the client gets instead, with a correlation id tying the two together.
 *
 * @example
 * import { maskError } from "@mcpforge/core/authoring";
 * const err = new Error("connect ECONNREFUSED 10.0.0.5:5432");
 * const { message } = maskError(err, logger, { method: "tools/call" });
 * // message: "Internal error (correlation id: …)"; the log has the full error under that id
 */
export function maskError(
  err: unknown,
  logger: ServerLogger,
  fields: Record<string, unknown> = {},
): MaskedError {
  const correlationId = randomUUID();
  const e = err instanceof Error ? err : new Error(String(err));
  logger.error("unhandled error", {
    correlationId,
    ...fields,
    error: { name: e.name, message: e.message, stack: e.stack },
  });
  return { message: `Internal error (correlation id: ${correlationId})`, correlationId };
}
