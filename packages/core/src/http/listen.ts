import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { McpHttpHandler } from "./handler.js";
import type { ResolvedListenOptions } from "./options.js";
import { isLoopback } from "./security.js";
import type { HttpHost } from "./types.js";

/** A running Streamable HTTP server. */
export interface HttpServerHandle {
  /** The MCP endpoint URL, e.g. `http://127.0.0.1:3000/mcp`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** The underlying `node:http` server. */
  readonly server: HttpServer;
  /** The request handler (session counts, reaping). */
  readonly handler: McpHttpHandler;
  /**
   * Graceful shutdown: stop accepting, let in-flight calls finish until the deadline (then
   * answer them with an error), close SSE streams and sessions, then close the app.
   */
  close(): Promise<void>;
}

/**
 * Serves a host over Streamable HTTP on `node:http` with secure defaults. Closing stops the
 * listener and drains calls; the caller (the app) owns readiness, signals and its own hooks.
 *
 * @example
 * import { McpForgeError } from "@mcpforge/core";
 * import { createStderrLogger } from "@mcpforge/core/authoring";
 * import { type HttpHost, listenHttp, resolveListenOptions } from "@mcpforge/core/transport";
 * // A stateless server that answers tools/list (app.listen() does all of this for an app).
 * const host: HttpHost = {
 *   logger: createStderrLogger("by-hand"),
 *   authenticated: false,
 *   httpHooks: [],
 *   routeFor: () => undefined,
 *   connect: () => Promise.reject(new Error("stateless: no sessions")),
 *   dispatch: async (_session, request) => {
 *     if (request.method === "tools/list") return { tools: [] };
 *     throw new McpForgeError("method_not_found", `Method not found: ${request.method}`);
 *   },
 *   initializeResult: (protocolVersion) => ({
 *     protocolVersion,
 *     capabilities: { tools: {} },
 *     serverInfo: { name: "by-hand", version: "1.0.0" },
 *   }),
 * };
 * const http = await listenHttp(host, resolveListenOptions({ port: 3000, mode: "stateless" }));
 * console.error(`listening on ${http.url}`);
 */
export async function listenHttp(
  host: HttpHost,
  o: ResolvedListenOptions,
): Promise<HttpServerHandle> {
  if (!isLoopback(o.host) && !o.allowedHosts && !o.dangerouslyAllowAnyHost && !host.authenticated) {
    throw new Error(
      `@mcpforge/core: refusing to bind ${o.host}: a non-loopback address needs allowedHosts (DNS-rebinding protection) or an auth middleware. Set dangerouslyAllowAnyHost: true to override.`,
    );
  }
  const handler = new McpHttpHandler(host, o);
  // node:http enforces headersTimeout / requestTimeout only when it checks its connections
  // (every 30 s by default): check often enough that the limits hold within about a second.
  const checkEveryMs = Math.min(
    1000,
    Math.max(50, Math.floor(Math.min(o.headersTimeoutMs, o.requestTimeoutMs) / 4)),
  );
  const server = createHttpServer({ connectionsCheckingInterval: checkEveryMs }, (req, res) => {
    void handler.handle(req, res);
  });
  server.headersTimeout = o.headersTimeoutMs;
  server.requestTimeout = o.requestTimeoutMs;
  server.keepAliveTimeout = o.keepAliveTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => reject(listenError(err, o.host, o.port));
    server.once("error", failed);
    server.listen(o.port, o.host, () => {
      server.off("error", failed);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await handler.drain(o.shutdownTimeoutMs);
      await handler.close();
      server.closeAllConnections();
      await stopped;
    })();
    return closing;
  };
  return {
    url: `http://${hostForUrl}:${address.port}${o.path}`,
    port: address.port,
    host: address.address,
    server,
    handler,
    close,
  };
}

/** A bind failure in words a user can act on. */
function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `port ${port} on ${host}`;
  const fix = "set PORT (or listen({ port })) to another port; 0 picks a free one";
  if (err.code === "EADDRINUSE") {
    return new Error(`@mcpforge/core: ${where} is in use: ${fix}`, { cause: err });
  }
  if (err.code === "EACCES") {
    return new Error(`@mcpforge/core: no permission to listen on ${where}: ${fix}`, { cause: err });
  }
  if (err.code === "EADDRNOTAVAIL" || err.code === "ENOTFOUND") {
    return new Error(
      `@mcpforge/core: cannot listen on ${host}: not an address of this machine (set HOST, e.g. 127.0.0.1 or 0.0.0.0)`,
      { cause: err },
    );
  }
  return err;
}
