// Child process for redaction.test.ts: a server with auth, logging, timing and error masking,
// all writing to stderr with their defaults, exercised with good and bad credentials. Prints
// the credentials used and every answer (bodies and headers) as one JSON line on stdout.
import { createServer } from "@mcpforge/core";
import { errorMasking } from "../../errors/error-masking.js";
import { logging } from "../../logging/logging.js";
import { timing } from "../../timing/timing.js";
import { auth } from "../auth.js";
import { AUDIENCE, b64, closedPort, ISSUER, startIdp } from "./idp.js";
import { bearer, call, INIT, post } from "./mcp-http.js";

const API_KEY = "stderr-api-key-0123456789abcdef";
const WRONG_KEY = "stderr-wrong-key-0123456789abcdef";
const idp = await startIdp();
await idp.addKey("unpublished");

function build(jwksUrl: string) {
  const app = createServer({ name: "stderr-child", version: "1" })
    .use(errorMasking())
    .use(logging())
    .use(timing({ slowMs: 0 }))
    .use(
      auth({
        jwt: { jwksUrl, issuer: ISSUER, audience: AUDIENCE },
        apiKeys: { keys: { [API_KEY]: { clientId: "key-client", scopes: ["mcp"] } } },
      }),
    );
  app.tool("whoami", { description: "Caller" }, (_args, ctx) => ctx.auth?.clientId ?? "nobody");
  app.tool("careless", { description: "Logs ctx.auth to stderr" }, (_args, ctx) => {
    console.error(ctx.auth);
    console.error(JSON.stringify(ctx.auth));
    console.error(JSON.stringify({ ...ctx.auth }));
    return "logged";
  });
  app.tool("crash", { description: "Crashes" }, () => {
    throw new Error("unexpected failure");
  });
  return app;
}

const good = await idp.sign({ sub: "alice", client_id: "client-a" });
const now = Math.floor(Date.now() / 1000);
const secrets = {
  good,
  expired: await idp.sign({ exp: now - 3600 }),
  badSignature: await idp.sign({}, { kid: "unpublished", headerKid: "k1" }),
  none: `${b64({ alg: "none", kid: "k1" })}.${b64({ iss: ISSUER, aud: AUDIENCE, sub: "m", exp: now + 600 })}.`,
  apiKey: API_KEY,
  wrongKey: WRONG_KEY,
};

const answers: { status: number; body: string; headers: Record<string, string> }[] = [];
const record = async (promise: ReturnType<typeof post>) => {
  const a = await promise;
  answers.push({ status: a.status, body: a.text, headers: Object.fromEntries(a.headers) });
  return a;
};

const up = await build(idp.jwksUrl).listen({ port: 0 });
const init = await record(post(up.url, INIT, bearer(good)));
const sid = init.headers.get("mcp-session-id") ?? "";
for (const [id, tool] of [
  [2, "whoami"],
  [3, "careless"],
  [4, "crash"],
] as const) {
  await record(post(up.url, call(id, tool), { ...bearer(good), "mcp-session-id": sid }));
}
for (const token of [secrets.expired, secrets.badSignature, secrets.none]) {
  await record(post(up.url, INIT, bearer(token)));
  await record(post(up.url, call(5, "whoami"), { ...bearer(token), "mcp-session-id": sid }));
}
const keyInit = await record(post(up.url, INIT, { "x-api-key": API_KEY }));
const keySid = keyInit.headers.get("mcp-session-id") ?? "";
await record(post(up.url, call(6, "careless"), { "x-api-key": API_KEY, "mcp-session-id": keySid }));
await record(post(up.url, INIT, { "x-api-key": WRONG_KEY }));
await up.close();

// A server whose JWKS is unreachable: its warnings must not quote the token either.
const down = await build(`http://127.0.0.1:${await closedPort()}/jwks.json`).listen({ port: 0 });
await record(post(down.url, INIT, bearer(good)));
await down.close();
await idp.close();

process.stdout.write(`${JSON.stringify({ secrets, answers })}\n`);
