import type { IncomingMessage, ServerResponse } from "node:http";
import { HEALTH_JSON, type HealthReport } from "./report.js";

/**
 * Answers a probe: 200 for `pass`/`warn`, 503 for `fail`; the report (or its status alone)
 * as `application/health+json`, never cached; no body for HEAD.
 *
 * @example
 * sendReport(req, res, { status: "pass" });
 */
export function sendReport(req: IncomingMessage, res: ServerResponse, report: HealthReport): void {
  const body = JSON.stringify(report);
  res.writeHead(report.status === "fail" ? 503 : 200, {
    "content-type": HEALTH_JSON,
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(body),
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

/**
 * Refuses a request without the right bearer token: 401 with `WWW-Authenticate: Bearer`.
 *
 * @example
 * import { createServer } from "node:http";
 * createServer((req, res) => {
 *   if (req.headers.authorization !== "Bearer s3cret") return sendUnauthorized(res);
 *   res.end("metrics");
 * });
 */
export function sendUnauthorized(res: ServerResponse): void {
  res.writeHead(401, {
    "content-type": "text/plain; charset=utf-8",
    "www-authenticate": 'Bearer realm="metrics"',
    "cache-control": "no-store",
  });
  res.end("Unauthorized\n");
}
