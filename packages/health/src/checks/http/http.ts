import { performance } from "node:perf_hooks";
import {
  type CommonCheckOptions,
  check,
  checkCommon,
  common,
  optionsOf,
} from "../../internal/options.js";
import type { HealthCheck } from "../types.js";

/** Options of {@link httpCheck}. */
export interface HttpCheckOptions extends CommonCheckOptions {
  /** The URL fetched (`http:` or `https:`). Never shown in reports. */
  url: string;
  /** The status(es) that pass (default 200). */
  expectStatus?: number | readonly number[];
  /** The method (default `GET`). */
  method?: string;
  /** Request headers (e.g. an API key; never shown in reports). */
  headers?: Record<string, string>;
}

const FACTORY = "httpCheck";

/**
 * An HTTP dependency answers with the expected status (a GET by default). The observed
 * value is the time to the response headers, in ms; the body is discarded. The URL and
 * headers stay out of reports.
 *
 * @param options.url - the URL fetched
 * @param options.expectStatus - the status(es) that pass (default 200)
 * @param options.method - the method (default GET)
 * @param options.headers - request headers
 * @example
 * app.use(health({
 *   checks: { weatherApi: httpCheck({ url: "https://api.example.com/status", expectStatus: [200, 204] }) },
 * }));
 */
export function httpCheck(options: HttpCheckOptions): HealthCheck {
  const opts = optionsOf(FACTORY, options);
  checkCommon(FACTORY, opts);
  check.string(FACTORY, "url", opts.url, { nonEmpty: true });
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw check.error(FACTORY, "url must be an absolute http: or https: URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw check.error(FACTORY, "url must be an absolute http: or https: URL");
  }
  const expected = opts.expectStatus === undefined ? [200] : [opts.expectStatus].flat();
  for (const status of expected) {
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw check.error(FACTORY, "expectStatus must be HTTP status codes (100-599)");
    }
  }
  check.string(FACTORY, "method", opts.method, { nonEmpty: true });
  check.record(FACTORY, "headers", opts.headers, (path, value) => {
    if (typeof value !== "string") throw check.error(FACTORY, `${path} must be a string`);
  });
  const headers: Record<string, string> = { ...opts.headers };
  if (url.username !== "" || url.password !== "") {
    // fetch() refuses URLs with credentials: send them as Basic auth instead.
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    headers.authorization ??= `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  const init = { method: opts.method ?? "GET", headers, redirect: "manual" as const };
  return {
    ...common(opts),
    componentType: "component",
    measurement: "responseTime",
    async check({ signal }) {
      const started = performance.now();
      const response = await fetch(url, { ...init, signal });
      const observedValue = Math.round((performance.now() - started) * 100) / 100;
      await response.body?.cancel().catch(() => undefined);
      if (!expected.includes(response.status)) {
        return {
          status: "fail",
          observedValue,
          observedUnit: "ms",
          output: `HTTP ${response.status}, expected ${expected.join(" or ")}`,
        };
      }
      return { observedValue, observedUnit: "ms" };
    },
  };
}
