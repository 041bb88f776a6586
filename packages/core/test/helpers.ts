import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import {
  CreateMessageRequestSchema,
  type CreateMessageResult,
  ElicitRequestSchema,
  type ElicitResult,
  ListRootsRequestSchema,
  type Notification,
} from "@modelcontextprotocol/sdk/types.js";
import type { McpForgeApp } from "../src/index.js";

/** Test-only: the real SDK client over the in-memory transport, recording notifications. */
export async function connect(
  app: McpForgeApp<never> | McpForgeApp,
  handlers: {
    sampling?: (p: unknown) => CreateMessageResult;
    elicitation?: (p: unknown) => ElicitResult;
    roots?: { uri: string; name?: string }[];
  } = {},
) {
  const capabilities: Record<string, object> = {};
  if (handlers.sampling) capabilities.sampling = {};
  if (handlers.elicitation) capabilities.elicitation = {};
  if (handlers.roots) capabilities.roots = { listChanged: true };
  const client = new Client({ name: "core-test", version: "0.0.0" }, { capabilities });
  const notifications: Notification[] = [];
  client.fallbackNotificationHandler = async (n) => {
    notifications.push(n);
  };
  const { sampling, elicitation, roots } = handlers;
  if (sampling) client.setRequestHandler(CreateMessageRequestSchema, (r) => sampling(r.params));
  if (elicitation) client.setRequestHandler(ElicitRequestSchema, (r) => elicitation(r.params));
  if (roots) client.setRequestHandler(ListRootsRequestSchema, () => ({ roots }));
  const [a, b] = InMemoryTransport.createLinkedPair();
  await (app as McpForgeApp).connect(b, { transportName: "memory" });
  await client.connect(a);
  return { client, notifications };
}

/** Waits until `check` returns true (polling), or fails after `ms`. */
export async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Captures what is written to process.stderr while `fn` runs. */
export async function captureStderr<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; stderr: string }> {
  const original = process.stderr.write.bind(process.stderr);
  let out = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stderr.write;
  try {
    const result = await fn();
    return { result, stderr: out };
  } finally {
    process.stderr.write = original;
  }
}
