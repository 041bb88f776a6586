import type { JSONRPCRequest, Notification } from "@modelcontextprotocol/sdk/types.js";
import type { Session } from "../protocol/session.js";
import type { ProtocolHost, RequestExtra } from "../protocol/types.js";

/** The app's side of every session, made once per app and shared by all its sessions. */
export interface SessionFns {
  dispatch(session: Session, request: JSONRPCRequest, extra: RequestExtra): Promise<unknown>;
  notification(session: Session, n: Notification): void;
  initializeResult(version: string): Record<string, unknown>;
  /** The session's connection closed. */
  closed(session: Session): void;
}

/**
 * The {@link ProtocolHost} of one session: a small object pointing at its session and at the
 * app's shared functions, instead of four closures per session (an idle session's memory is
 * what a server with thousands of them pays for).
 *
 * @example
 * import { Session } from "../protocol/session.js";
 * const fns: SessionFns = {
 *   dispatch: async () => ({}),
 *   notification: () => {},
 *   initializeResult: (protocolVersion) => ({ protocolVersion }),
 *   closed: (session) => console.error(`session ${session.id} closed`),
 * };
 * const host = new SessionHost(fns);
 * host.session = new Session("s1", undefined, "memory");
 * host.initializeResult("2025-11-25"); // { protocolVersion: "2025-11-25" }
 */
export class SessionHost implements ProtocolHost {
  /** Set right after the session is made (it needs its protocol layer, which needs this). */
  session: Session | undefined;
  readonly #fns: SessionFns;

  constructor(fns: SessionFns) {
    this.#fns = fns;
  }

  dispatch(request: JSONRPCRequest, extra: RequestExtra): Promise<unknown> {
    return this.#fns.dispatch(this.session as Session, request, extra);
  }

  notification(n: Notification): void {
    this.#fns.notification(this.session as Session, n);
  }

  initializeResult(version: string): Record<string, unknown> {
    return this.#fns.initializeResult(version);
  }

  closed(): void {
    this.#fns.closed(this.session as Session);
  }
}
