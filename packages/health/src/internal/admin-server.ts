import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A route of the admin server: `METHOD /path` → handler. */
export type AdminRoutes = Map<string, (req: IncomingMessage, res: ServerResponse) => unknown>;

/** A running admin server. */
export interface AdminServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A separate `node:http` server for probes and metrics: no Host/Origin checks (orchestrators
 * send the pod IP), no MCP endpoint, nothing but the routes given; 404 / 405 otherwise.
 *
 * @example
 * const routes: AdminRoutes = new Map([["GET /healthz", (_req, res) => res.end("ok")]]);
 * const admin = await startAdminServer(routes, 9090, "0.0.0.0", console.error);
 * await admin.close();
 */
export async function startAdminServer(
  routes: AdminRoutes,
  port: number,
  host: string,
  onError: (err: unknown) => void,
): Promise<AdminServer> {
  const server: Server = createServer((req, res) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const handler = routes.get(`${req.method} ${path}`);
    if (handler) {
      Promise.resolve()
        .then(() => handler(req, res))
        .catch((err: unknown) => {
          onError(err);
          if (!res.headersSent) res.writeHead(500).end();
          else res.destroy();
        });
      return;
    }
    const known = [...routes.keys()].some((k) => k.endsWith(` ${path}`));
    res.writeHead(known ? 405 : 404, { "content-type": "text/plain; charset=utf-8" });
    res.end(known ? "Method not allowed\n" : "Not found\n");
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
