import type { LazyAbort } from "../utils/lazy-abort.js";
import type { RequestExtra } from "./types.js";

/**
 * A request's {@link RequestExtra} whose `signal` is made on first read, from a
 * {@link LazyAbort}. A class, not an object literal with `get signal()`: an accessor in an
 * object literal gives every request's object a shape of its own, which costs the engine
 * microseconds per request; a prototype getter costs nothing.
 *
 * @example
 * import { LazyAbort } from "../utils/lazy-abort.js";
 * const abort = new LazyAbort();
 * const extra = new LazyExtra(abort, {
 *   requestId: 1,
 *   sessionId: undefined,
 *   _meta: undefined,
 *   authInfo: undefined,
 *   requestInfo: undefined,
 *   closeSSEStream: undefined,
 *   sendNotification: async () => {},
 *   sendRequest: async () => { throw new Error("not here"); },
 * });
 * extra.signal.aborted; // false (the signal is made now)
 */
export class LazyExtra implements RequestExtra {
  readonly #abort: LazyAbort;
  requestId: RequestExtra["requestId"];
  sessionId: RequestExtra["sessionId"];
  _meta: RequestExtra["_meta"];
  authInfo: RequestExtra["authInfo"];
  requestInfo: RequestExtra["requestInfo"];
  closeSSEStream: RequestExtra["closeSSEStream"];
  responseHeaders: RequestExtra["responseHeaders"];
  sendNotification: RequestExtra["sendNotification"];
  sendRequest: RequestExtra["sendRequest"];

  constructor(abort: LazyAbort, fields: Omit<RequestExtra, "signal">) {
    this.#abort = abort;
    this.requestId = fields.requestId;
    this.sessionId = fields.sessionId;
    this._meta = fields._meta;
    this.authInfo = fields.authInfo;
    this.requestInfo = fields.requestInfo;
    this.closeSSEStream = fields.closeSSEStream;
    this.responseHeaders = fields.responseHeaders;
    this.sendNotification = fields.sendNotification;
    this.sendRequest = fields.sendRequest;
  }

  /** The request's abort signal, made now if nobody read it before. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Listens for the abort without making the signal. */
  onAbort(listener: (reason: unknown) => void): () => void {
    return this.#abort.onAbort(listener);
  }
}
