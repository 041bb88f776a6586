/**
 * The JSON-RPC 2.0 message shapes of MCP (request, notification, result, error), checked by
 * hand. It accepts exactly what the SDK's `JSONRPCMessageSchema` accepts (a property test
 * compares the two) without loading the SDK's `types.js`, whose hundreds of zod schemas cost a
 * server about 100 ms of start-up and every message a zod union parse.
 */
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

const RELATED_TASK = "io.modelcontextprotocol/related-task";

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isInt(value: unknown): boolean {
  return Number.isSafeInteger(value);
}

function isId(value: unknown): boolean {
  return typeof value === "string" || isInt(value);
}

/** `_meta` of a request, notification or result: progress token and related task checked. */
function metaOk(meta: unknown): boolean {
  if (meta === undefined) return true;
  if (!isObject(meta)) return false;
  const token = meta.progressToken;
  if (token !== undefined && !isId(token)) return false;
  const task = meta[RELATED_TASK];
  return task === undefined || (isObject(task) && typeof task.taskId === "string");
}

/** `params` of a request or notification: absent, or an object whose `_meta` is valid. */
function paramsOk(params: unknown): boolean {
  return params === undefined || (isObject(params) && metaOk(params._meta));
}

/** Whether `m` has no keys but the allowed ones (the SDK's schemas are strict). */
function onlyKeys(m: Obj, a: string, b: string, c: string, d?: string): boolean {
  for (const key in m) {
    if (key !== a && key !== b && key !== c && key !== d) return false;
  }
  return true;
}

function requestOk(m: Obj): boolean {
  return (
    isId(m.id) &&
    typeof m.method === "string" &&
    paramsOk(m.params) &&
    onlyKeys(m, "jsonrpc", "id", "method", "params")
  );
}

function notificationOk(m: Obj): boolean {
  return (
    typeof m.method === "string" && paramsOk(m.params) && onlyKeys(m, "jsonrpc", "method", "params")
  );
}

function resultOk(m: Obj): boolean {
  const result = m.result;
  return (
    isId(m.id) && isObject(result) && metaOk(result._meta) && onlyKeys(m, "jsonrpc", "id", "result")
  );
}

function errorOk(m: Obj): boolean {
  const error = m.error;
  return (
    (m.id === undefined || isId(m.id)) &&
    isObject(error) &&
    isInt(error.code) &&
    typeof error.message === "string" &&
    onlyKeys(m, "jsonrpc", "id", "error")
  );
}

/**
 * The message as the SDK's schema would hand it on: unknown keys of an error object and of a
 * related-task `_meta` entry are dropped (those objects are not passthrough there); everything
 * else is the value itself.
 */
function normalized(m: Obj): JSONRPCMessage {
  const error = m.error;
  if (isObject(error)) {
    const hasData = Object.hasOwn(error, "data");
    if (Object.keys(error).length === (hasData ? 3 : 2)) return m as unknown as JSONRPCMessage;
    const { code, message, data } = error;
    return { ...m, error: hasData ? { code, message, data } : { code, message } } as never;
  }
  const key = isObject(m.params) ? "params" : "result";
  const holder = m[key];
  const meta = isObject(holder) ? holder._meta : undefined;
  const task = isObject(meta) ? meta[RELATED_TASK] : undefined;
  if (!isObject(task) || (Object.keys(task).length === 1 && Object.hasOwn(task, "taskId"))) {
    return m as unknown as JSONRPCMessage;
  }
  const _meta = { ...(meta as Obj), [RELATED_TASK]: { taskId: task.taskId } };
  return { ...m, [key]: { ...(holder as Obj), _meta } } as never;
}

/**
 * The value as a JSON-RPC message of MCP, or undefined when it is none: the same messages the
 * SDK's `JSONRPCMessageSchema` accepts (strict objects, integer or string ids, a valid `_meta`).
 *
 * @example
 * asJsonRpcMessage({ jsonrpc: "2.0", id: 1, method: "ping" }); // the message
 * asJsonRpcMessage({ jsonrpc: "2.0", id: 1.5, method: "ping" }); // undefined
 */
export function asJsonRpcMessage(value: unknown): JSONRPCMessage | undefined {
  if (!isObject(value) || value.jsonrpc !== "2.0") return undefined;
  const ok =
    "method" in value
      ? "id" in value
        ? requestOk(value)
        : notificationOk(value)
      : "result" in value
        ? resultOk(value)
        : errorOk(value);
  return ok ? normalized(value) : undefined;
}
