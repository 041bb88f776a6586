import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type {
  JSONRPCMessage,
  JSONRPCRequest,
  MessageExtraInfo,
  Notification,
  RequestId,
} from "@modelcontextprotocol/sdk/types.js";

export type { AuthInfo };

/** A zod-like schema used to check a client's answer to a server-to-client request. */
export interface ResultSchema {
  safeParse(value: unknown): { success: boolean; data?: unknown; error?: { message: string } };
}

/** Options of an outgoing (server-to-client) request. */
export interface OutgoingRequestOptions {
  signal?: AbortSignal;
  /** Time allowed for the client's answer in ms (default 60 s); then it fails with `timeout`. */
  timeout?: number;
  relatedRequestId?: RequestId;
}

/** HTTP details of a request, when it came over HTTP. */
export interface RequestInfo {
  headers: Record<string, string | string[] | undefined>;
  url?: URL;
  remoteAddress?: string;
}

/** What a transport passes along with an incoming message (the SDK's `MessageExtraInfo`, plus ours). */
export interface IncomingExtra {
  authInfo?: AuthInfo | undefined;
  requestInfo?: RequestInfo | undefined;
  /** Closes this request's SSE stream so the client resumes it (SEP-1699); false when it cannot. */
  closeSSEStream?: (() => boolean | undefined) | undefined;
  /** Closes the standalone GET stream. */
  closeStandaloneSSEStream?: (() => void) | undefined;
  /** HTTP only: headers added to this request's answer (e.g. `Server-Timing`). */
  responseHeaders?: Record<string, string> | undefined;
}

/** The per-request services handed to the dispatcher. */
export interface RequestExtra {
  signal: AbortSignal;
  requestId: RequestId;
  sessionId: string | undefined;
  _meta: Record<string, unknown> | undefined;
  authInfo: AuthInfo | undefined;
  requestInfo: RequestInfo | undefined;
  closeSSEStream: (() => boolean | undefined) | undefined;
  /** HTTP only: headers added to this request's answer (e.g. `Server-Timing`). */
  responseHeaders?: Record<string, string> | undefined;
  sendNotification(n: Notification): Promise<void>;
  sendRequest<T = unknown>(
    request: { method: string; params?: unknown },
    schema: ResultSchema,
    options?: OutgoingRequestOptions,
  ): Promise<T>;
  /**
   * Calls `listener` with the reason when `signal` aborts (at once if it has), without making
   * the signal when it is made lazily; returns the function that stops listening. Optional:
   * without it, listen on `signal`.
   */
  onAbort?(listener: (reason: unknown) => void): () => void;
}

/** What the protocol layer needs from the app. */
export interface ProtocolHost {
  /** Answers a request (everything but initialize and ping). */
  dispatch(request: JSONRPCRequest, extra: RequestExtra): Promise<unknown>;
  /** Sees a client notification. */
  notification(n: Notification): void;
  /** The initialize result for a negotiated protocol version. */
  initializeResult(version: string): Record<string, unknown>;
  /** Called once when the connection closed (after in-flight handlers were aborted). */
  closed?(): void;
}

/** Narrows the SDK's `MessageExtraInfo` to what MCP Forge's transports pass. */
export type TransportExtra = MessageExtraInfo & IncomingExtra;

/**
 * A transport that wants to know when a request was cancelled by the client (the HTTP transport
 * ends that request's answer stream at once: no response follows a cancellation).
 */
export interface RequestAwareTransport extends Transport {
  requestCancelled?(id: RequestId): void;
  /**
   * A transport that calls its protocol layer directly: given the session at `start()`, it
   * hands messages to `protocol.receive()` and reports its end with `protocol.transportClosed()`
   * instead of the `onmessage`/`onclose` callbacks (no closures per connection).
   */
  attachProtocol?(protocol: DirectProtocol): void;
}

/** What a transport with {@link RequestAwareTransport.attachProtocol} calls. */
export interface DirectProtocol {
  /** An incoming message with what the transport knows about it. */
  receive(message: JSONRPCMessage, extra?: MessageExtraInfo): void;
  /** The transport closed (called once, after its own cleanup). */
  transportClosed(): void;
}
