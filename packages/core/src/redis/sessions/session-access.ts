import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type {
  ClientCapabilities,
  Implementation,
  JSONRPCRequest,
  RequestId,
} from "@modelcontextprotocol/sdk/types.js";
import type { SessionBackendOptions } from "../../http/backend.js";
import { httpError, tooManySessions } from "../../http/errors.js";
import { header } from "../../http/negotiation.js";
import type { HttpRequest } from "../../http/types.js";
import type { ServerLogger } from "../../internal/logger.js";
import { negotiateVersion } from "../../protocol/version.js";
import { principalKey } from "../../utils/principal.js";
import type { RecordFields, SessionRecords, TouchedRecord } from "./records.js";
import type { Replica, Replicas } from "./replicas.js";
import { unavailable } from "./unavailable.js";

const UNKNOWN = "-";

/** The hash a record is bound to: of the caller's principal, or `-` for anonymous callers. */
function principalHash(req: HttpRequest): string {
  const key = principalKey(req.auth);
  return key === undefined ? UNKNOWN : createHash("sha256").update(key).digest("base64url");
}

/**
 * What {@link SessionAccess} is built from.
 *
 * @example
 * import type { SessionBackendOptions } from "../../http/backend.js";
 * import type { SessionRecords } from "./records.js";
 * import type { Replicas } from "./replicas.js";
 * declare const options: SessionBackendOptions;
 * declare const records: SessionRecords;
 * declare const replicas: Replicas;
 * const parts: AccessParts = { options, records, replicas, logger };
 */
export interface AccessParts {
  readonly options: Pick<SessionBackendOptions, "sessionIdleTimeoutMs" | "maxSessions">;
  readonly records: SessionRecords;
  readonly replicas: Replicas;
  readonly logger: ServerLogger;
}

/**
 * Which session a request may use, cluster-wide: `initialize` opens a record bound to a hash
 * of the caller's principal; any other request names its session with `Mcp-Session-Id` and
 * gets this instance's local copy of it when the record exists and belongs to the caller.
 * Otherwise the request is answered (400, 404, or 503 when Redis does not answer).
 *
 * @example
 * declare const parts: AccessParts;
 * const access = new SessionAccess(parts);
 * const replica = await access.find(req, res); // undefined: already answered
 * if (replica) replica.lastSeen; // now
 */
export class SessionAccess {
  readonly #o: AccessParts["options"];
  readonly #records: SessionRecords;
  readonly #replicas: Replicas;
  readonly #logger: ServerLogger;

  constructor(parts: AccessParts) {
    this.#o = parts.options;
    this.#records = parts.records;
    this.#replicas = parts.replicas;
    this.#logger = parts.logger;
  }

  /** Opens a session for an `initialize` request; answers 503 when full or Redis is away. */
  async open(
    req: HttpRequest,
    res: ServerResponse,
    message: JSONRPCRequest,
  ): Promise<Replica | undefined> {
    const params = (message.params ?? {}) as {
      protocolVersion?: unknown;
      capabilities?: ClientCapabilities;
      clientInfo?: Implementation;
    };
    const id = randomBytes(24).toString("base64url");
    const fields: RecordFields = {
      p: principalHash(req),
      v: negotiateVersion(params.protocolVersion),
      r: "1",
      ci: JSON.stringify(params.clientInfo ?? null),
      cc: JSON.stringify(params.capabilities ?? null),
      ll: "",
      sub: "[]",
      st: "[]",
    };
    let opened: boolean;
    try {
      opened = await this.#records.open(
        id,
        fields,
        this.#o.sessionIdleTimeoutMs,
        this.#o.maxSessions,
      );
    } catch (err) {
      this.#logger.debug("redis sessions: cannot open a session", { error: String(err) });
      unavailable(res, message.id);
      return undefined;
    }
    if (!opened) {
      tooManySessions(res);
      return undefined;
    }
    return this.#replicas.obtain(id, fields);
  }

  /** The session named by `Mcp-Session-Id` when it exists and belongs to the caller; else answers. */
  async find(
    req: IncomingMessage,
    res: ServerResponse,
    requestId?: RequestId,
  ): Promise<Replica | undefined> {
    const id = header(req, "mcp-session-id");
    if (!id) {
      httpError(res, 400, "http_error", "Bad Request: Mcp-Session-Id header is required");
      return undefined;
    }
    if (id.length > 64 || !/^[A-Za-z0-9_-]+$/.test(id)) {
      httpError(res, 404, "session_not_found", "Session not found");
      return undefined;
    }
    const known = this.#replicas.get(id);
    let record: TouchedRecord | undefined;
    try {
      record = await this.#records.touch(id, this.#o.sessionIdleTimeoutMs, known?.rev ?? "");
    } catch (err) {
      this.#logger.debug("redis sessions: lookup failed", { error: String(err) });
      unavailable(res, requestId);
      return undefined;
    }
    if (!record || record.fields.p !== principalHash(req as HttpRequest)) {
      if (!record && known) void known.transport.close();
      httpError(res, 404, "session_not_found", "Session not found");
      return undefined;
    }
    if (known) {
      if (record.full) this.#replicas.apply(known, record.fields);
      known.lastSeen = Date.now();
      return known;
    }
    return this.#replicas.obtain(id, record.fields);
  }
}
