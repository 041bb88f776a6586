// API keys and OAuth 2.1 bearer JWTs, with scopes per component. Serves HTTP.
import { createServer } from "@mcpforge/core";
import { auth, requireScopes } from "@mcpforge/middleware/auth";
import * as z from "zod";

const app = createServer({ name: "secure", version: "1.0.0" }).use(
  auth({
    jwt: {
      jwksUrl: "https://login.example.com/.well-known/jwks.json",
      issuer: "https://login.example.com/",
      audience: "https://mcp.example.com/mcp", // this server, as the tokens name it
      requiredScopes: ["mcp"],
    },
    apiKeys: {
      keys: {
        [process.env.CI_API_KEY ?? "ci-key-please-change-me"]: { clientId: "ci", scopes: ["mcp"] },
      },
    },
    require: { tools: { delete_user: ["users:write"] }, tags: { billing: ["billing"] } },
    allowUnauthenticatedTransports: ["stdio"], // local development through stdio
  }),
);

app.tool("whoami", { description: "Who is calling" }, (_args, ctx) => ctx.var.principal.clientId);
app.tool(
  "delete_user",
  { description: "Deletes a user", input: { id: z.string() } },
  ({ id }) => `deleted ${id}`,
);
app.tool("invoice", { description: "Bills a customer", tags: ["billing"] }, () => "billed");
app.tool("export", { description: "Exports data" }, (_args, ctx) => {
  requireScopes(ctx, "export"); // a finer check inside the handler
  return "exported";
});

const { url } = await app.listen({
  host: "0.0.0.0", // reachable from other machines: auth() makes that allowed
  port: Number(process.env.PORT ?? 3000),
  allowedHosts: ["mcp.example.com"], // the Host header clients use
});
console.error(`listening on ${url}`);
