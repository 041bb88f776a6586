// A small identity provider for the auth tests: real keys (jose), a real JWKS endpoint on an
// ephemeral port (node:http) that counts its requests, and a token signer.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type CryptoKey,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from "jose";

export const ISSUER = "https://login.example.test/";
export const AUDIENCE = "https://mcp.example.test/mcp";

type Alg = "RS256" | "ES256" | "PS256" | "EdDSA";

interface Key {
  alg: Alg;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

export interface SignOptions {
  /** The key to sign with (default "k1"). */
  kid?: string;
  /** Header kid to claim instead of the signing key's own. */
  headerKid?: string;
  /** Leave the kid out of the header. */
  noKid?: boolean;
}

/** The test identity provider. */
export interface Idp {
  readonly jwksUrl: string;
  /** How many requests reached the JWKS endpoint. */
  readonly requests: number;
  /** `ok` serves the published keys; `error` answers 500. */
  mode: "ok" | "error";
  /** Creates a key pair (not published yet). */
  addKey(kid: string, alg?: Alg): Promise<void>;
  /** Adds a created key to the served JWKS. */
  publish(kid: string): void;
  /** Signs a token with iss/aud/iat/exp filled in (override with `claims`). */
  sign(claims?: JWTPayload, options?: SignOptions): Promise<string>;
  /** The SPKI PEM of a key's public half (for algorithm-confusion tokens). */
  publicPem(kid: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts an identity provider with key "k1" (RS256) created and published.
 *
 * @example
 * const idp = await startIdp();
 * const token = await idp.sign({ sub: "alice", scope: "mcp" });
 */
export async function startIdp(): Promise<Idp> {
  const keys = new Map<string, Key>();
  const published: string[] = [];
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    if (req.url !== "/jwks.json") {
      res.writeHead(404).end();
      return;
    }
    if (idp.mode === "error") {
      res.writeHead(500, { "content-type": "text/plain" }).end("down");
      return;
    }
    const body = JSON.stringify({ keys: published.map((kid) => keys.get(kid)?.jwk) });
    res.writeHead(200, { "content-type": "application/jwk-set+json" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const idp: Idp = {
    jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
    get requests() {
      return requests;
    },
    mode: "ok",
    async addKey(kid, alg = "RS256") {
      const { privateKey, publicKey } = await generateKeyPair(alg);
      const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
      keys.set(kid, { alg, privateKey, publicKey, jwk });
    },
    publish(kid) {
      if (!keys.has(kid)) throw new Error(`no key ${kid}`);
      if (!published.includes(kid)) published.push(kid);
    },
    async sign(claims = {}, options = {}) {
      const key = keys.get(options.kid ?? "k1");
      if (!key) throw new Error(`no key ${options.kid}`);
      const now = Math.floor(Date.now() / 1000);
      const header: { alg: Alg; typ: string; kid?: string } = { alg: key.alg, typ: "at+jwt" };
      if (!options.noKid) header.kid = options.headerKid ?? options.kid ?? "k1";
      return new SignJWT({
        iss: ISSUER,
        aud: AUDIENCE,
        iat: now,
        exp: now + 600,
        sub: "alice",
        client_id: "client-a",
        scope: "mcp",
        ...claims,
      })
        .setProtectedHeader(header)
        .sign(key.privateKey);
    },
    async publicPem(kid) {
      const key = keys.get(kid);
      if (!key) throw new Error(`no key ${kid}`);
      return exportSPKI(key.publicKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  await idp.addKey("k1");
  idp.publish("k1");
  return idp;
}

/** base64url of a JSON value (for hand-crafted tokens). */
export function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
