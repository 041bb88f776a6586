import { readCatalog } from "../client/catalog.js";
import { connectTarget } from "../client/connect.js";
import { formatCatalog } from "../client/format.js";
import { examples, parseHeaders, type RegisterCommand, withTarget } from "../internal/command.js";
import { print } from "../internal/ui.js";

/** `mcpforge list <file|url>`: names and descriptions of every tool, resource and prompt. */
export const registerList: RegisterCommand = (program, outcomes) => {
  withTarget(program.command("list"))
    .description("List a server's tools, resources, resource templates and prompts")
    .option(
      "--json",
      "print JSON: { tools, resources, resourceTemplates, prompts } with names and descriptions",
    )
    .addHelpText(
      "after",
      examples(["mcpforge list server.ts", "mcpforge list http://127.0.0.1:3000/mcp --json"]),
    )
    .action(async (target: string, flags: { json?: boolean; header?: string[] }) => {
      const connection = await connectTarget(target, { headers: parseHeaders(flags.header) });
      try {
        const c = await readCatalog(connection.client);
        if (flags.json) {
          const brief = <T extends { description?: string | undefined }>(
            items: T[],
            key: (t: T) => Record<string, string>,
          ) => items.map((i) => ({ ...key(i), description: i.description ?? null }));
          print(
            JSON.stringify(
              {
                tools: brief(c.tools, (t) => ({ name: t.name })),
                resources: brief(c.resources, (r) => ({ uri: r.uri, name: r.name })),
                resourceTemplates: brief(c.resourceTemplates, (t) => ({
                  uriTemplate: t.uriTemplate,
                  name: t.name,
                })),
                prompts: brief(c.prompts, (p) => ({ name: p.name })),
              },
              null,
              2,
            ),
          );
        } else {
          print(formatCatalog(c, false));
        }
      } finally {
        await connection.close();
      }
      outcomes.value = 0;
    });
};
