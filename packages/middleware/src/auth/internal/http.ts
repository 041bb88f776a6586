import type { IncomingMessage } from "node:http";

/** The RFC 9728 well-known path of the protected-resource metadata document. */
export const METADATA_PATH = "/.well-known/oauth-protected-resource";

/**
 * Builds `WWW-Authenticate` challenges (RFC 6750 §3, RFC 9728 §5.1). Every parameter value
 * comes from validated configuration or fixed text — never from the request — so no quoting
 * problems and no token can end up in a header.
 *
 * @example
 * const c = new Challenges("Bearer", "https://mcp.example.com/.well-known/oauth-protected-resource", []);
 * c.missing(); // 'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource"'
 */
export class Challenges {
  readonly #scheme: string;
  readonly #metadataUrl: string | undefined;
  readonly #requiredScopes: readonly string[];

  constructor(
    scheme: "Bearer" | "ApiKey",
    metadataUrl: string | undefined,
    requiredScopes: readonly string[],
  ) {
    this.#scheme = scheme;
    this.#metadataUrl = metadataUrl;
    this.#requiredScopes = requiredScopes;
  }

  #build(params: [string, string | undefined][]): string {
    const all: [string, string | undefined][] = [
      ...params,
      ["resource_metadata", this.#metadataUrl],
    ];
    const parts = all.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}="${v}"`);
    return parts.length === 0 ? this.#scheme : `${this.#scheme} ${parts.join(", ")}`;
  }

  /** No credentials were presented. */
  missing(): string {
    const scope = this.#requiredScopes.length > 0 ? this.#requiredScopes.join(" ") : undefined;
    return this.#build([["scope", scope]]);
  }

  /** Credentials were presented and refused. */
  invalid(description: string): string {
    return this.#build([
      ["error", "invalid_token"],
      ["error_description", description],
    ]);
  }

  /** The caller lacks scopes; `scopes` are all the scopes the request needs. */
  insufficientScope(scopes: readonly string[]): string {
    return this.#build([
      ["error", "insufficient_scope"],
      ["scope", scopes.join(" ")],
      ["error_description", "The access token lacks a required scope"],
    ]);
  }
}

/**
 * One request header as a string (the first value when repeated).
 *
 * @example
 * headerOf(req, "x-api-key");
 */
export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** What credentials a request carries. */
export type Presented =
  | { kind: "none" }
  | { kind: "malformed" }
  | { kind: "api-key"; value: string }
  | { kind: "bearer"; value: string };

/**
 * Reads the bearer token of an `Authorization` header: `none` without the header or with
 * another scheme, `malformed` for a Bearer header that is not `Bearer <token>`.
 *
 * @example
 * bearerOf("Bearer abc.def.ghi"); // { kind: "bearer", value: "abc.def.ghi" }
 */
export function bearerOf(header: string | undefined): Presented {
  if (header === undefined) return { kind: "none" };
  if (!/^bearer(\s|$)/i.test(header)) return { kind: "none" };
  const match = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return match?.[1] ? { kind: "bearer", value: match[1] } : { kind: "malformed" };
}
