import { readCatalog } from "../client/catalog.js";
import { connectTarget } from "../client/connect.js";
import { formatCatalog } from "../client/format.js";
import { examples, parseHeaders, type RegisterCommand, withTarget } from "../internal/command.js";
import { print } from "../internal/ui.js";

/** `mcpforge inspect <file|url>`: server info, capabilities and every component. */
export const registerInspect: RegisterCommand = (program, outcomes) => {
  withTarget(program.command("inspect"))
    .description("Show a server's info, capabilities, tools (with schemas), resources and prompts")
    .option("--json", "print stable JSON instead of text")
    .addHelpText(
      "after",
      examples([
        "mcpforge inspect server.ts",
        "mcpforge inspect http://127.0.0.1:3000/mcp --json",
        'mcpforge inspect https://example.com/mcp -H "Authorization: Bearer $TOKEN"',
      ]),
    )
    .action(async (target: string, flags: { json?: boolean; header?: string[] }) => {
      const connection = await connectTarget(target, { headers: parseHeaders(flags.header) });
      try {
        const catalog = await readCatalog(connection.client);
        print(flags.json ? JSON.stringify(catalog, null, 2) : formatCatalog(catalog));
      } finally {
        await connection.close();
      }
      outcomes.value = 0;
    });
};
