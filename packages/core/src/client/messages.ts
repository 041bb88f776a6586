/**
 * JSON-RPC messages read from a server, checked by shape: the common messages by hand (a
 * request, notification, result or error with the right member types), anything else by the
 * SDK's zod schema. The SDK's `Protocol` then checks each result, request and notification
 * against the schema of its method.
 */
import { type JSONRPCMessage, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isId = (v: unknown) =>
  typeof v === "string" || (typeof v === "number" && Number.isInteger(v));

/** The members a message may have besides `jsonrpc` (the SDK's schemas are strict). */
function only(m: Loose, allowed: readonly string[]): boolean {
  for (const key in m) if (key !== "jsonrpc" && !allowed.includes(key)) return false;
  return true;
}

const REQUEST = ["id", "method", "params"] as const;
const RESULT = ["id", "result"] as const;
const ERROR = ["id", "error"] as const;

function plain(m: Loose): boolean {
  if (m.jsonrpc !== "2.0") return false;
  if (typeof m.method === "string") {
    if (m.params !== undefined && !isObject(m.params)) return false;
    if (m.id !== undefined && !isId(m.id)) return false;
    return only(m, REQUEST);
  }
  if (m.error === undefined) return isId(m.id) && isObject(m.result) && only(m, RESULT);
  const e = m.error;
  return (
    (m.id === undefined || isId(m.id)) &&
    isObject(e) &&
    Number.isInteger(e.code) &&
    typeof e.message === "string" &&
    only(m, ERROR)
  );
}

/**
 * One JSON-RPC message from parsed JSON; throws (a zod error) when it is not one.
 *
 * @example
 * toMessage(JSON.parse('{"jsonrpc":"2.0","id":1,"result":{}}')); // the same object
 */
export function toMessage(value: unknown): JSONRPCMessage {
  if (isObject(value) && plain(value)) return value as JSONRPCMessage;
  return JSONRPCMessageSchema.parse(value);
}
