import type { ServerResponse } from "node:http";
import type { RequestId } from "@modelcontextprotocol/sdk/types.js";
import { httpError } from "../../http/errors.js";

/**
 * Answers 503 with `Retry-After: 5`: Redis did not answer in time (or its circuit is open).
 *
 * @example
 * try {
 *   await Promise.reject(new Error("Redis timed out"));
 * } catch {
 *   unavailable(res, 1); // 503, a JSON-RPC error for request 1
 * }
 */
export function unavailable(res: ServerResponse, id?: RequestId): void {
  httpError(res, 503, "unavailable", "Session store unavailable (Redis): retry later", {
    headers: { "retry-after": "5" },
    ...(id === undefined ? {} : { id }),
  });
}
