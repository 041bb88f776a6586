// The local identity provider: signs a demo JWT and serves its JWKS.
//   pnpm --filter demo-production token --scopes db:read,notes:read,notes:write
// prints the token on stdout, then serves http://127.0.0.1:9400/.well-known/jwks.json until
// Ctrl-C (or exits at once with --no-serve, or when another run already serves it).
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadOrCreateIdpKey, serveJwks, signToken } from "../src/idp/local-idp.js";

const { values } = parseArgs({
  options: {
    scopes: { type: "string", default: "db:read,notes:read" },
    sub: { type: "string", default: "demo-user" },
    client: { type: "string", default: "demo-client" },
    ttl: { type: "string", default: "3600" },
    port: { type: "string", default: process.env.IDP_PORT ?? "9400" },
    audience: { type: "string", default: process.env.JWT_AUDIENCE ?? "http://127.0.0.1:3000/mcp" },
    "no-serve": { type: "boolean", default: false },
  },
});

const port = Number(values.port);
const keyFile =
  process.env.IDP_KEY_FILE ?? fileURLToPath(new URL("../.idp/private-key.json", import.meta.url));
const key = await loadOrCreateIdpKey(keyFile);
const issuer = `http://127.0.0.1:${port}/`;
const token = await signToken(key, {
  issuer,
  audience: values.audience,
  scopes: values.scopes.split(/[\s,]+/).filter(Boolean),
  subject: values.sub,
  clientId: values.client,
  ttlSec: Number(values.ttl),
});
process.stdout.write(`${token}\n`);

if (!values["no-serve"]) {
  try {
    await serveJwks(key, { port });
    process.stderr.write(
      `JWKS served at ${issuer}.well-known/jwks.json (issuer ${issuer}); Ctrl-C to stop\n`,
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    process.stderr.write(`port ${port} is in use: another token run serves the JWKS\n`);
  }
}
