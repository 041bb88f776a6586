import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { McpForgeApp } from "../server/app.js";
import { McpHttpHandler } from "./handler.js";
import { type ListenOptions, resolveListenOptions } from "./options.js";
import { isLoopback } from "./security.js";

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
   * Graceful shutdown: stop accepting, mark not ready, let in-flight calls finish until the
   * deadline (then answer them with an error), close SSE streams and sessions.
   */
  close(): Promise<void>;
}

/**
 * Serves an app over Streamable HTTP on `node:http` with secure defaults.
 *
 * @example
 * const http = await listenHttp(app, { port: 3000 });
 * console.error(`listening on ${http.url}`);
 */
export async function listenHttp(
  app: McpForgeApp,
  options: ListenOptions = {},
): Promise<HttpServerHandle> {
  const o = resolveListenOptions(options);
  if (!isLoopback(o.host) && !o.allowedHosts && !o.dangerouslyAllowAnyHost && !app.authenticated) {
    throw new Error(
      `@mcpforge/core: refusing to bind ${o.host}: a non-loopback address needs allowedHosts (DNS-rebinding protection) or an auth middleware. Set dangerouslyAllowAnyHost: true to override.`,
    );
  }
  const handler = new McpHttpHandler(app, o);
  const server = createHttpServer((req, res) => {
    void handler.handle(req, res);
  });
  server.headersTimeout = o.headersTimeoutMs;
  server.requestTimeout = o.requestTimeoutMs;
  server.keepAliveTimeout = o.keepAliveTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  app.ready = true;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      app.ready = false;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await handler.drain(o.shutdownTimeoutMs);
      await handler.close();
      server.closeAllConnections();
      await stopped;
      await app.close();
    })();
    return closing;
  };
  if (o.handleSignals) {
    let signals = 0;
    const onSignal = () => {
      signals++;
      if (signals > 1) process.exit(1);
      void close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  }
  return {
    url: `http://${hostForUrl}:${address.port}${o.path}`,
    port: address.port,
    host: address.address,
    server,
    handler,
    close,
  };
}
