import { promises as dns } from "node:dns";
import { isIP } from "node:net";
import { McpForgeError } from "@mcpforge/core";
import { blockedAddressReason } from "./ip.js";

/** Options of {@link validateUrl}. */
export interface ValidateUrlOptions {
  /**
   * When given, the only hosts allowed: exact names (case-insensitive) or `*.example.com` for
   * any subdomain of example.com. The address checks apply to allowed hosts as well.
   */
  allowedHosts?: readonly string[];
}

const MAX_ECHO = 200;

function refuse(url: string, reason: string): McpForgeError {
  const shown = url.length > MAX_ECHO ? `${url.slice(0, MAX_ECHO)}…` : url;
  return new McpForgeError("invalid_params", `URL refused (${JSON.stringify(shown)}): ${reason}`);
}

function hostAllowed(host: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => {
    const pattern = entry.toLowerCase().replace(/\.$/, "");
    if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1));
    return host === pattern;
  });
}

/**
 * Checks a URL a tool is about to fetch on a caller's behalf (SSRF): http or https only, an
 * allowed host (when `allowedHosts` is given), and neither the host nor any address it resolves
 * to (`dns.promises.lookup`, all addresses) may be private, loopback, link-local, unique-local
 * or otherwise special. Returns the parsed URL; throws `McpForgeError("invalid_params")`.
 *
 * The check resolves names at call time: a name whose DNS answer changes between this check and
 * the fetch (DNS rebinding) can still reach a private address. Where that matters, connect to an
 * address checked here, or check again in the HTTP client's `lookup` hook.
 *
 * @example
 * import { validateUrl } from "@mcpforge/middleware/validation";
 * app.tool("fetch_page", { input: { url: z.string() } }, async ({ url }) => {
 *   const target = await validateUrl(url, { allowedHosts: ["*.wikipedia.org"] });
 *   return (await fetch(target, { redirect: "error" })).text();
 * });
 */
export async function validateUrl(
  url: string | URL,
  options: ValidateUrlOptions = {},
): Promise<URL> {
  const allowed = options.allowedHosts;
  if (
    allowed !== undefined &&
    (!Array.isArray(allowed) || !allowed.every((h) => typeof h === "string" && h !== ""))
  ) {
    throw new Error(
      "@mcpforge/middleware: validateUrl(): allowedHosts must be an array of host names",
    );
  }
  const text = url instanceof URL ? url.href : url;
  if (typeof text !== "string") {
    throw new McpForgeError("invalid_params", "URL refused: expected a string");
  }
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw refuse(text, "not a valid absolute URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw refuse(
      text,
      `the scheme ${JSON.stringify(parsed.protocol)} is not allowed (http or https only)`,
    );
  }
  const host = parsed.hostname
    .replace(/^\[|\]$/g, "")
    .toLowerCase()
    .replace(/\.$/, "");
  if (host === "") throw refuse(text, "the URL has no host");
  if (allowed && !hostAllowed(host, allowed)) {
    throw refuse(text, `the host ${JSON.stringify(host)} is not in the allowed hosts`);
  }
  if (isIP(host)) {
    const reason = blockedAddressReason(host);
    if (reason) throw refuse(text, `the host ${host} is ${reason}`);
    return parsed;
  }
  // RFC 6761: *.localhost names are loopback whatever DNS says ("localhost" itself is looked up).
  if (host.endsWith(".localhost")) {
    throw refuse(text, `the host ${JSON.stringify(host)} is a loopback name`);
  }
  let addresses: { address: string }[];
  try {
    addresses = await dns.lookup(host, { all: true, verbatim: true });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw refuse(
      text,
      `the host ${JSON.stringify(host)} could not be resolved (${String(code ?? "error")})`,
    );
  }
  if (addresses.length === 0) {
    throw refuse(text, `the host ${JSON.stringify(host)} has no addresses`);
  }
  for (const { address } of addresses) {
    const reason = blockedAddressReason(address);
    if (reason) {
      throw refuse(text, `the host ${JSON.stringify(host)} resolves to ${address}, ${reason}`);
    }
  }
  return parsed;
}
