import type {
  ClientCapabilities,
  Implementation,
  LoggingLevel,
} from "@modelcontextprotocol/sdk/types.js";
import type { ProtocolSession } from "./protocol-session.js";

/** What handlers see of the session a request belongs to. */
export interface SessionInfo {
  /** The session id (the transport's, or a generated one for stdio and in-memory). */
  readonly id: string;
  /** Per-session state, freed with the session. */
  readonly state: Map<string, unknown>;
  /** The client's name and version from `initialize`. */
  readonly clientInfo: Implementation | undefined;
  /** The capabilities the client declared in `initialize`. */
  readonly clientCapabilities: ClientCapabilities | undefined;
  /** The protocol revision negotiated in `initialize` (undefined for stateless HTTP). */
  readonly protocolVersion: string | undefined;
  /** The transport serving the session: `stdio`, `memory`, `http` or a custom name. */
  readonly transport: string;
  /** When the session opened (`Date.now()` milliseconds). */
  readonly openedAt: number;
}

const LEVELS: readonly LoggingLevel[] = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
];

/**
 * The rank of a log level (debug = 0 … emergency = 7), or -1 when unknown.
 *
 * @example
 * logLevelRank("warning"); // 3
 */
export function logLevelRank(level: string): number {
  return LEVELS.indexOf(level as LoggingLevel);
}

/** One connected client: its protocol layer, log level, subscriptions and state. */
export class Session implements SessionInfo {
  readonly id: string;
  /** The JSON-RPC session layer; undefined for the shared stateless HTTP session. */
  readonly protocol: ProtocolSession | undefined;
  readonly transport: string;
  /** The minimum level set by `logging/setLevel`; undefined sends every level. */
  logLevel: LoggingLevel | undefined;
  #state: Map<string, unknown> | undefined;
  #subscriptions: Set<string> | undefined;

  readonly openedAt: number;

  constructor(id: string, protocol: ProtocolSession | undefined, transport: string) {
    this.id = id;
    this.protocol = protocol;
    this.transport = transport;
    this.openedAt = Date.now();
  }

  get state(): Map<string, unknown> {
    this.#state ??= new Map();
    return this.#state;
  }

  get subscriptions(): Set<string> {
    this.#subscriptions ??= new Set();
    return this.#subscriptions;
  }

  /** Whether the session subscribed to this URI (without allocating a set). */
  isSubscribed(uri: string): boolean {
    return this.#subscriptions?.has(uri) ?? false;
  }

  get clientInfo(): Implementation | undefined {
    return this.protocol?.clientInfo;
  }

  get clientCapabilities(): ClientCapabilities | undefined {
    return this.protocol?.clientCapabilities;
  }

  get protocolVersion(): string | undefined {
    return this.protocol?.protocolVersion;
  }

  /** Whether a message at `level` passes the session's `logging/setLevel` filter. */
  wantsLog(level: LoggingLevel): boolean {
    return this.logLevel === undefined || logLevelRank(level) >= logLevelRank(this.logLevel);
  }

  /** Frees per-session state. */
  dispose(): void {
    this.#state?.clear();
    this.#subscriptions?.clear();
  }
}
