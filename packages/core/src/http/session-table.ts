import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Session } from "../protocol/session.js";
import { principalKey } from "../utils/principal.js";
import { httpError } from "./errors.js";
import { type EventStore, type MemoryEventStore, memoryEventStore } from "./event-store.js";
import { header } from "./negotiation.js";
import type { ResolvedListenOptions } from "./options.js";
import { HttpSessionTransport, type SessionOwner } from "./session-transport.js";
import type { HttpHost, HttpRequest } from "./types.js";

/** One open stateful session of the HTTP transport. */
export interface SessionEntry {
  readonly id: string;
  readonly transport: HttpSessionTransport;
  session: Session | undefined;
  lastSeen: number;
  readonly protocolVersion: string;
  /** POST streams opened so far (numbers the stream ids). */
  streams: number;
  /** The principal that created the session (`principalKey`); other principals get 404. */
  readonly principal: string | undefined;
}

/** The event store of every listener that was given none: one byte budget per process. */
let processEvents: MemoryEventStore | undefined;

function newSessionId(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * The stateful sessions of one HTTP listener: opening (192-bit random ids), lookup bound to
 * the creating principal, idle reaping, the cap, and freeing each session's state.
 *
 * @example
 * import { createStderrLogger } from "../internal/logger.js";
 * import { Session } from "../protocol/session.js";
 * import { resolveListenOptions } from "./options.js";
 * import type { HttpHost } from "./types.js";
 * const host: HttpHost = {
 *   logger: createStderrLogger("sessions"),
 *   authenticated: false,
 *   httpHooks: [],
 *   routeFor: () => undefined,
 *   connect: async (transport, { transportName }) =>
 *     new Session(transport.sessionId ?? "", undefined, transportName),
 *   dispatch: async () => ({ tools: [] }),
 *   initializeResult: (protocolVersion) => ({ protocolVersion }),
 * };
 * const table = new SessionTable(host, resolveListenOptions({}));
 * const entry = await table.open("2025-11-25", undefined); // entry.id: 32 random base64url characters
 * table.size; // 1
 */
export class SessionTable implements SessionOwner {
  readonly #host: HttpHost;
  readonly #o: ResolvedListenOptions;
  readonly #entries = new Map<string, SessionEntry>();
  readonly #reaper: NodeJS.Timeout;
  /** The event store all sessions of this listener share (one budget). */
  readonly store: EventStore;
  readonly keepAliveMs: number;

  constructor(host: HttpHost, options: ResolvedListenOptions) {
    this.#host = host;
    this.#o = options;
    this.keepAliveMs = options.keepAliveMs;
    processEvents ??= memoryEventStore();
    this.store = options.eventStore ?? processEvents;
    const every = Math.min(Math.max(options.sessionIdleTimeoutMs / 4, 10), 60_000);
    this.#reaper = setInterval(() => this.reap(), every);
    this.#reaper.unref();
  }

  /** Open sessions. */
  get size(): number {
    return this.#entries.size;
  }

  /** Whether the cap is reached (new sessions get 503). */
  get full(): boolean {
    return this.#entries.size >= this.#o.maxSessions;
  }

  /** Opens a session for a client that negotiated `protocolVersion`, bound to `principal`. */
  async open(protocolVersion: string, principal: string | undefined): Promise<SessionEntry> {
    const id = newSessionId();
    const transport = new HttpSessionTransport(id, this);
    const entry: SessionEntry = {
      id,
      transport,
      session: undefined,
      lastSeen: Date.now(),
      protocolVersion,
      streams: 0,
      principal,
    };
    this.#entries.set(id, entry);
    entry.session = await this.#host.connect(transport, { transportName: "http" });
    return entry;
  }

  /** A session's transport closed (after its protocol layer): forget the session. */
  transportClosed(transport: HttpSessionTransport): void {
    const entry = this.#entries.get(transport.sessionId);
    if (entry?.transport === transport) this.#forget(entry);
  }

  /**
   * The session named by the request's `Mcp-Session-Id`, when it exists and belongs to the
   * request's principal; otherwise answers 400 (no header) or 404 and returns undefined.
   */
  lookup(req: HttpRequest, res: ServerResponse): SessionEntry | undefined {
    const id = header(req, "mcp-session-id");
    if (!id) {
      httpError(res, 400, "http_error", "Bad Request: Mcp-Session-Id header is required");
      return undefined;
    }
    const entry = this.#entries.get(id);
    if (!entry || entry.principal !== principalKey(req.auth)) {
      httpError(res, 404, "session_not_found", "Session not found");
      return undefined;
    }
    entry.lastSeen = Date.now();
    return entry;
  }

  /** The session's event store (the listener's shared store, once the session used it). */
  events(entry: SessionEntry): EventStore {
    return entry.transport.eventStore();
  }

  #forget(entry: SessionEntry): void {
    if (this.#entries.get(entry.id) !== entry) return;
    this.#entries.delete(entry.id);
    void entry.transport.events?.forget?.(`${entry.id}.`);
    entry.transport.events = undefined;
  }

  /** Ends a session: aborts its in-flight handlers, closes its streams, frees its state. */
  async close(id: string): Promise<boolean> {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#forget(entry);
    await entry.transport.close();
    return true;
  }

  /** Closes sessions idle for longer than the timeout (those with calls in flight are kept). */
  reap(now = Date.now()): number {
    let closed = 0;
    for (const entry of [...this.#entries.values()]) {
      if (entry.transport.replyCount > 0) continue;
      if (now - entry.lastSeen < this.#o.sessionIdleTimeoutMs) continue;
      closed++;
      void this.close(entry.id);
    }
    return closed;
  }

  /** Closes every session and stops the reaper. */
  async closeAll(): Promise<void> {
    clearInterval(this.#reaper);
    await Promise.all([...this.#entries.keys()].map((id) => this.close(id)));
  }
}
