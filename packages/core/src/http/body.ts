import type { IncomingMessage } from "node:http";
import type { ErrorKind } from "../errors/errors.js";

/** Why reading a body failed: the HTTP status and the JSON-RPC error kind to answer with. */
export class BodyError extends Error {
  readonly status: number;
  readonly kind: ErrorKind;
  constructor(status: number, kind: ErrorKind, message: string) {
    super(message);
    this.status = status;
    this.kind = kind;
  }
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a request body up to `limit` bytes: refuses at once (413) when Content-Length says it
 * is larger, and as soon as a chunked body crosses the limit; then decodes strict UTF-8 and
 * parses JSON (400 / -32700 on failure).
 *
 * @example
 * const value = await readJsonBody(req, 4 * 1024 * 1024);
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(
      new BodyError(413, "invalid_request", `Request body exceeds ${limit} bytes`),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        failed = true;
        req.off("data", onData);
        req.resume();
        reject(new BodyError(413, "invalid_request", `Request body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    // `on`, not `once`: no wrapper per request, and a second error still has a listener
    req.on("error", (err) => {
      if (!failed)
        reject(new BodyError(400, "parse_error", `Could not read the body: ${err.message}`));
      failed = true;
    });
    req.on("end", () => {
      if (failed) return;
      let text: string;
      try {
        text = decoder.decode(Buffer.concat(chunks, size));
      } catch {
        reject(new BodyError(400, "parse_error", "Parse error: the body is not valid UTF-8"));
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new BodyError(400, "parse_error", "Parse error: the body is not valid JSON"));
      }
    });
  });
}
