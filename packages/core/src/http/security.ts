import type { IncomingMessage, ServerResponse } from "node:http";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/**
 * Whether a hostname (no port) or bind address is a loopback name.
 *
 * @example
 * isLoopback("127.0.0.1"); // true
 */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK_NAMES.has(h) || /^127(\.\d{1,3}){3}$/.test(h) || h.endsWith(".localhost");
}

/**
 * The hostname part of a Host header (`[::1]:3000` → `[::1]`, `Example.com:80` → `example.com`).
 *
 * @example
 * hostnameOf("localhost:3000"); // "localhost"
 */
export function hostnameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    return end === -1 ? h : h.slice(0, end + 1);
  }
  const colon = h.indexOf(":");
  return colon === -1 ? h : h.slice(0, colon);
}

/** The last Host header found to name a loopback host (the answer never changes). */
let lastLoopbackHost: string | undefined;

/** The Host/Origin policy of one listener. */
export interface HostPolicy {
  /** Allowed Host values: a hostname (any port) or `host:port`; undefined = loopback names only. */
  allowedHosts: readonly string[] | undefined;
  /** Allowed Origin values (exact, e.g. `https://app.example.com`); loopback origins are always allowed. */
  allowedOrigins: readonly string[];
  /** Skip the Host check entirely (explicitly unsafe). */
  anyHost: boolean;
}

/**
 * Checks the Host header against the policy (DNS-rebinding protection).
 *
 * @example
 * hostAllowed("localhost:3000", { allowedHosts: undefined, allowedOrigins: [], anyHost: false }); // true
 */
export function hostAllowed(host: string | undefined, policy: HostPolicy): boolean {
  if (policy.anyHost) return true;
  if (!host) return false;
  if (policy.allowedHosts === undefined) {
    // clients send the same Host on every request: remember the last answer
    if (host === lastLoopbackHost) return true;
    const loopback = isLoopback(hostnameOf(host));
    if (loopback) lastLoopbackHost = host;
    return loopback;
  }
  const name = hostnameOf(host);
  const full = host.trim().toLowerCase();
  return policy.allowedHosts.some((a) => {
    const allowed = a.toLowerCase();
    return allowed === full || allowed === name;
  });
}

/**
 * Checks the Origin header: absent is fine; loopback origins and listed origins pass.
 *
 * @example
 * const policy = { allowedHosts: undefined, allowedOrigins: ["https://app.example.com"], anyHost: false };
 * originAllowed("http://127.0.0.1:5173", policy); // true (loopback)
 * originAllowed("https://app.example.com", policy); // true (listed)
 * originAllowed("https://evil.example", policy); // false
 */
export function originAllowed(origin: string | undefined, policy: HostPolicy): boolean {
  if (origin === undefined) return true;
  if (policy.allowedOrigins.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  return isLoopback(url.hostname.replace(/^\[|\]$/g, "") === "::1" ? "::1" : url.hostname);
}

/** CORS settings of a listener. */
export interface CorsOptions {
  /** Origins allowed to call the server from a browser (exact match). */
  origins: readonly string[];
  /** Send `Access-Control-Allow-Credentials: true` (never combined with `*`). */
  credentials?: boolean;
  /** Preflight cache in seconds (default 600). */
  maxAge?: number;
}

const ALLOW_HEADERS =
  "Content-Type, Accept, Authorization, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID";
const EXPOSE_HEADERS = "Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate, Retry-After";

/**
 * Validates CORS options when the listener is created.
 *
 * @example
 * checkCors({ origins: ["https://app.example.com"], credentials: true });
 */
export function checkCors(cors: CorsOptions | undefined): void {
  if (!cors) return;
  if (!Array.isArray(cors.origins))
    throw new Error("@mcpforge/core: cors.origins must be an array");
  if (cors.credentials && cors.origins.includes("*")) {
    throw new Error('@mcpforge/core: cors.origins cannot contain "*" when credentials are allowed');
  }
}

/**
 * Adds CORS response headers for an allowed Origin; answers preflights. Returns true when the
 * request was a preflight and has been answered.
 *
 * @example
 * import { createServer } from "node:http";
 * const cors = { origins: ["https://app.example.com"], credentials: true };
 * createServer((req, res) => {
 *   if (applyCors(req, res, cors)) return; // a preflight, answered
 *   res.end("ok");
 * }).listen(3000, "127.0.0.1");
 */
export function applyCors(
  req: IncomingMessage,
  res: ServerResponse,
  cors: CorsOptions | undefined,
): boolean {
  const origin = req.headers.origin;
  const allowed =
    cors !== undefined &&
    origin !== undefined &&
    (cors.origins.includes(origin) || (cors.origins.includes("*") && !cors.credentials));
  if (allowed) {
    res.setHeader("access-control-allow-origin", cors.origins.includes(origin) ? origin : "*");
    res.setHeader("vary", "Origin");
    res.setHeader("access-control-expose-headers", EXPOSE_HEADERS);
    if (cors.credentials) res.setHeader("access-control-allow-credentials", "true");
  }
  if (req.method !== "OPTIONS") return false;
  if (allowed) {
    res.setHeader("access-control-allow-methods", "GET, POST, DELETE, OPTIONS");
    res.setHeader("access-control-allow-headers", ALLOW_HEADERS);
    res.setHeader("access-control-max-age", String(cors.maxAge ?? 600));
  }
  res.setHeader("allow", "GET, POST, DELETE, OPTIONS");
  res.writeHead(204).end();
  return true;
}
