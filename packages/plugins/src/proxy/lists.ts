import type { Client, Prompt, Resource, ResourceTemplate, Tool } from "@mcpforge/core/client";
import type { MirrorType } from "../internal/mirror.js";

/** A backend's list entry of each component type. */
export interface EntryOf {
  tool: Tool;
  resource: Resource;
  template: ResourceTemplate;
  prompt: Prompt;
}

type Page<T> = { items: T[]; next: string | undefined };

const at = (cursor: string | undefined) => (cursor ? { cursor } : undefined);

/** One page of each list, through the SDK client. */
const PAGES: { [T in MirrorType]: (c: Client, cursor?: string) => Promise<Page<EntryOf[T]>> } = {
  tool: (c, cursor) =>
    c.listTools(at(cursor)).then((r) => ({ items: r.tools, next: r.nextCursor })),
  resource: (c, cursor) =>
    c.listResources(at(cursor)).then((r) => ({ items: r.resources, next: r.nextCursor })),
  template: (c, cursor) =>
    c
      .listResourceTemplates(at(cursor))
      .then((r) => ({ items: r.resourceTemplates, next: r.nextCursor })),
  prompt: (c, cursor) =>
    c.listPrompts(at(cursor)).then((r) => ({ items: r.prompts, next: r.nextCursor })),
};

/** At most this many pages of one list (a backend that keeps handing out cursors stops here). */
const MAX_PAGES = 1000;

/**
 * Every entry of one of the backend's lists, following its cursors.
 *
 * @example
 * const client = new Client({ name: "gateway", version: "1.0.0" });
 * await client.connect(createClientTransport({ url: "http://127.0.0.1:3001/mcp" }));
 * const tools = await listAll(client, "tool");
 */
export async function listAll<T extends MirrorType>(
  client: Client,
  type: T,
): Promise<EntryOf[T][]> {
  const out: EntryOf[T][] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items, next } = await PAGES[type](client, cursor);
    out.push(...items);
    if (!next) break;
    cursor = next;
  }
  return out;
}
