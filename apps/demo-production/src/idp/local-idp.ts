import { randomUUID } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { dirname } from "node:path";
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";

const ALG = "ES256";

/** The private key type jose signs with. */
type SigningKey = Parameters<SignJWT["sign"]>[0];

/** A signing key and its public half, as a JWKS serves it. */
export interface IdpKey {
  privateKey: SigningKey;
  publicJwk: JWK;
}

/** What a demo token says. */
export interface TokenClaims {
  issuer: string;
  audience: string;
  scopes: readonly string[];
  /** The user (`sub`), default `demo-user`. */
  subject?: string;
  /** The client (`client_id`), default `demo-client`. */
  clientId?: string;
  /** Lifetime in seconds, default 3600. */
  ttlSec?: number;
}

/**
 * A new ES256 key pair; the private JWK is returned too, to store.
 *
 * @example
 * const { key, privateJwk } = await generateIdpKey();
 * console.log(key.publicJwk.kid === privateJwk.kid); // true
 */
export async function generateIdpKey(): Promise<{ key: IdpKey; privateJwk: JWK }> {
  const pair = await generateKeyPair(ALG, { extractable: true });
  const kid = randomUUID();
  const privateJwk = { ...(await exportJWK(pair.privateKey)), kid, alg: ALG, use: "sig" };
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: ALG, use: "sig" };
  return { key: { privateKey: pair.privateKey as SigningKey, publicJwk }, privateJwk };
}

/**
 * The key stored in `file` (a private JWK, mode 0600), created on first use, so every token
 * the script signs verifies against the same JWKS.
 *
 * @example
 * const key = await loadOrCreateIdpKey("/tmp/demo-idp/key.json");
 */
export async function loadOrCreateIdpKey(file: string): Promise<IdpKey> {
  try {
    const privateJwk = JSON.parse(await readFile(file, "utf8")) as JWK;
    const { d: _d, ...publicJwk } = privateJwk;
    const privateKey = (await importJWK(privateJwk, ALG)) as SigningKey;
    return { privateKey, publicJwk };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const { key, privateJwk } = await generateIdpKey();
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(file, JSON.stringify(privateJwk), { mode: 0o600, flag: "wx" });
    return key;
  } catch (err) {
    // Another run created the file first: use its key, so both sign for one JWKS.
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return loadOrCreateIdpKey(file);
    throw err;
  }
}

/**
 * Signs a demo access token (RFC 9068 style: `scope` space-separated, `client_id`, `exp`).
 *
 * @example
 * const { key } = await generateIdpKey();
 * const token = await signToken(key, {
 *   issuer: "http://127.0.0.1:9400/",
 *   audience: "http://127.0.0.1:3000/mcp",
 *   scopes: ["notes:read"],
 * });
 */
export async function signToken(key: IdpKey, claims: TokenClaims): Promise<string> {
  return new SignJWT({
    scope: claims.scopes.join(" "),
    client_id: claims.clientId ?? "demo-client",
  })
    .setProtectedHeader({ alg: ALG, kid: key.publicJwk.kid as string, typ: "at+jwt" })
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setSubject(claims.subject ?? "demo-user")
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime(`${claims.ttlSec ?? 3600}s`)
    .sign(key.privateKey);
}

/**
 * Serves the key's JWKS at `/.well-known/jwks.json` (port 0 picks a free one). Resolves with
 * the server and the issuer URL (`http://host:port/`).
 *
 * @example
 * const { key } = await generateIdpKey();
 * const { server, issuer } = await serveJwks(key, { port: 0 });
 * console.log(`${issuer}.well-known/jwks.json`);
 * server.close();
 */
export async function serveJwks(
  key: IdpKey,
  options: { host?: string; port: number },
): Promise<{ server: Server; issuer: string }> {
  const body = JSON.stringify({ keys: [key.publicJwk] });
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/.well-known/jwks.json") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=300" });
      res.end(body);
      return;
    }
    res.writeHead(404).end();
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  return { server, issuer: `http://${host}:${port}/` };
}
