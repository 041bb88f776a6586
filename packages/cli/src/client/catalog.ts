import type {
  Client,
  Implementation,
  Prompt,
  Resource,
  ResourceTemplate,
  ServerCapabilities,
  Tool,
} from "@mcpforge/core/client";

/** Everything a server lists, as `inspect --json` prints it. */
export interface Catalog {
  server: Implementation | undefined;
  instructions: string | undefined;
  capabilities: ServerCapabilities;
  tools: Tool[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
  prompts: Prompt[];
}

async function all<T>(
  page: (cursor?: string) => Promise<{ items: T[]; next?: string | undefined }>,
) {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const r = await page(cursor);
    items.push(...r.items);
    cursor = r.next;
  } while (cursor);
  return items;
}

const params = (cursor?: string) => (cursor ? { cursor } : undefined);

/**
 * Reads server info, capabilities and every list (all pages) from a connected client.
 *
 * @example
 * import { createServer } from "@mcpforge/core";
 * import { createTestClient } from "@mcpforge/testing";
 * const app = createServer({ name: "demo", version: "1.0.0" });
 * app.tool("ping", { description: "Answers pong" }, () => "pong");
 * await using test = await createTestClient(app);
 * const { server, tools } = await readCatalog(test.client); // server.name "demo", tools[0].name "ping"
 */
export async function readCatalog(client: Client): Promise<Catalog> {
  const capabilities = client.getServerCapabilities() ?? {};
  const none = async () => [];
  const [tools, resources, resourceTemplates, prompts] = await Promise.all([
    capabilities.tools
      ? all(async (c) => {
          const r = await client.listTools(params(c));
          return { items: r.tools, next: r.nextCursor };
        })
      : none(),
    capabilities.resources
      ? all(async (c) => {
          const r = await client.listResources(params(c));
          return { items: r.resources, next: r.nextCursor };
        })
      : none(),
    capabilities.resources
      ? all(async (c) => {
          const r = await client.listResourceTemplates(params(c));
          return { items: r.resourceTemplates, next: r.nextCursor };
        })
      : none(),
    capabilities.prompts
      ? all(async (c) => {
          const r = await client.listPrompts(params(c));
          return { items: r.prompts, next: r.nextCursor };
        })
      : none(),
  ]);
  return {
    server: client.getServerVersion(),
    instructions: client.getInstructions(),
    capabilities,
    tools,
    resources,
    resourceTemplates,
    prompts,
  };
}
