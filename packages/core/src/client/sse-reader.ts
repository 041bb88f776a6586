/**
 * An incremental `text/event-stream` reader for the client side: fed decoded text as it
 * arrives, it hands over each complete event (`event`, `data` lines joined with `\n`, `id`).
 */

/** One server-sent event. */
export interface SseEvent {
  /** The `event:` field; empty for the default (`message`). */
  event: string;
  data: string;
  /** The `id:` field, when the event had one. */
  id: string | undefined;
}

/**
 * Parses server-sent events from text chunks split anywhere (lines end with `\n` or `\r\n`;
 * comments and `retry:` are skipped).
 *
 * @example
 * const reader = new SseReader((e) => console.log(e.data));
 * reader.push('event: message\ndata: {"jsonrpc":"2.0"');
 * reader.push(',"method":"ping"}\n\n'); // logs the JSON text
 */
export class SseReader {
  readonly #onEvent: (event: SseEvent) => void;
  #rest = "";
  #event = "";
  #data: string[] = [];
  #id: string | undefined;

  constructor(onEvent: (event: SseEvent) => void) {
    this.#onEvent = onEvent;
  }

  /** Feeds the next chunk of text. */
  push(chunk: string): void {
    let text = this.#rest.length > 0 ? this.#rest + chunk : chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) break;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.#line(text.slice(start, end));
      start = nl + 1;
    }
    text = start === 0 ? text : text.slice(start);
    this.#rest = text;
  }

  #line(line: string): void {
    if (line.length === 0) {
      if (this.#data.length > 0) {
        const event = { event: this.#event, data: this.#data.join("\n"), id: this.#id };
        this.#event = "";
        this.#data = [];
        this.#onEvent(event);
      } else {
        this.#event = "";
      }
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ":" comment
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") this.#data.push(value);
    else if (field === "event") this.#event = value;
    else if (field === "id") this.#id = value;
  }
}
