import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/**
 * A checker for `Authorization: Bearer <token>`, comparing in constant time.
 *
 * @example
 * const authorized = bearerChecker("s3cret");
 * authorized(req); // true for "Authorization: Bearer s3cret"
 */
export function bearerChecker(token: string): (req: IncomingMessage) => boolean {
  const expected = digest(token);
  return (req) => {
    const header = req.headers.authorization;
    if (typeof header !== "string") return false;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match !== null && timingSafeEqual(digest(match[1] as string), expected);
  };
}
