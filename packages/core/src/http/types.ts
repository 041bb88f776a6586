import type { IncomingMessage, ServerResponse } from "node:http";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCRequest } from "@modelcontextprotocol/sdk/types.js";
import type { ServerLogger } from "../internal/logger.js";
import type { Session } from "../protocol/session.js";
import type { AuthInfo, RequestExtra } from "../protocol/types.js";

/** An HTTP request as hooks see it: `auth` is set by an authenticating hook. */
export type HttpRequest = IncomingMessage & { auth?: AuthInfo };

/** An HTTP hook added with `app.useHttp()`: return true (or end the response) to stop. */
export type HttpHook = (
  req: HttpRequest,
  res: ServerResponse,
) => boolean | undefined | Promise<boolean | undefined> | void | Promise<void>;

/** An HTTP route handler added with `app.route()`. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** Options of `app.route()`. */
export interface RouteOptions {
  /**
   * Answer this route before the Host/Origin checks (and before any `useHttp()` hook, which
   * never sees routes anyway): for probes that orchestrators send with a pod IP as Host and no
   * credentials (`/healthz`, `/readyz`). Such a route must disclose nothing sensitive.
   */
  public?: boolean;
}

/** A route with its options. */
export interface RouteEntry {
  readonly handler: RouteHandler;
  readonly public: boolean;
}

/** What the HTTP layer needs from the app: routes, hooks, sessions and dispatch. */
export interface HttpHost {
  readonly logger: ServerLogger;
  /** True when an auth layer protects the endpoint (allows binding a non-loopback address). */
  readonly authenticated: boolean;
  /** The HTTP hooks added with `useHttp()`, in order. */
  readonly httpHooks: readonly HttpHook[];
  /** The route for a method and path, if one was added. */
  routeFor(method: string, path: string): RouteEntry | undefined;
  /** Serves one stateful session over its transport. */
  connect(transport: Transport, options: { transportName: string }): Promise<Session>;
  /** Answers one request of a stateless client (everything but initialize and ping). */
  dispatch(session: Session, request: JSONRPCRequest, extra: RequestExtra): Promise<unknown>;
  /** The `initialize` result for a negotiated protocol version. */
  initializeResult(version: string): Record<string, unknown>;
  /**
   * Calls `fn` with every notification meant for all sessions (`notifications/<kind>/list_changed`,
   * `notifications/resources/updated`), so a shared session backend can fan it out to the
   * sessions other instances serve. Returns a function that stops it.
   */
  watchBroadcasts?(fn: (n: BroadcastNotification) => void): () => void;
}

/** A notification every session (or every subscriber of a resource) should hear. */
export interface BroadcastNotification {
  method: string;
  params?: Record<string, unknown>;
}
