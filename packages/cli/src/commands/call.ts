import type { CallToolResult, ContentBlock } from "@mcpforge/core/client";
import { connectTarget } from "../client/connect.js";
import { toolArguments } from "../client/tool-arguments.js";
import { examples, parseHeaders, type RegisterCommand, withTarget } from "../internal/command.js";
import { CliError, EXIT } from "../internal/errors.js";
import { c, print, say } from "../internal/ui.js";

/** A short line for a content block that is not text. */
function blockLine(block: ContentBlock): string {
  switch (block.type) {
    case "text":
      return block.text;
    case "image":
    case "audio":
      return `[${block.type} ${block.mimeType}, ${Math.floor((block.data.length * 3) / 4)} bytes]`;
    case "resource":
      return "text" in block.resource ? block.resource.text : `[resource ${block.resource.uri}]`;
    case "resource_link":
      return `[link ${block.uri}${block.name ? ` ${block.name}` : ""}]`;
    default:
      return JSON.stringify(block);
  }
}

function parseInputJson(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CliError(`--input-json is not JSON: ${(err as Error).message}`, EXIT.usage);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new CliError("--input-json must be a JSON object", EXIT.usage);
  return value as Record<string, unknown>;
}

interface CallFlags {
  inputJson?: string;
  json?: boolean;
  header?: string[];
}

/** `mcpforge call <file|url> <tool> [key=value ...]`: calls one tool and prints the result. */
export const registerCall: RegisterCommand = (program, outcomes) => {
  withTarget(program.command("call"))
    .description("Call a tool; arguments are parsed against its input schema")
    .argument("<tool>", "tool name")
    .argument("[arguments...]", "key=value pairs (numbers, booleans, JSON for objects and arrays)")
    .option("--input-json <json>", "all arguments as one JSON object (key=value pairs override)")
    .option("--json", "print the raw CallToolResult as JSON")
    .addHelpText(
      "after",
      `${examples([
        "mcpforge call server.ts greet name=Ada",
        `mcpforge call server.ts search --input-json '{"query":"mcp","max_results":5}'`,
        "mcpforge call http://127.0.0.1:3000/mcp nth_prime n=1000 --json",
      ])}\nExit code 3 when the tool answers with isError (or the server rejects the call).\n`,
    )
    .action(async (target: string, name: string, pairs: string[], flags: CallFlags) => {
      const base = parseInputJson(flags.inputJson);
      const connection = await connectTarget(target, { headers: parseHeaders(flags.header) });
      let result: CallToolResult;
      try {
        const { tools } = await connection.client.listTools();
        const tool = tools.find((t) => t.name === name);
        if (!tool) {
          const names = tools.map((t) => t.name).join(", ") || "(none)";
          throw new CliError(`No tool "${name}". Tools: ${names}`, EXIT.usage);
        }
        const args = toolArguments(pairs, tool.inputSchema as Record<string, unknown>, base);
        try {
          result = (await connection.client.callTool({ name, arguments: args })) as CallToolResult;
        } catch (err) {
          throw new CliError(
            `The server rejected the call: ${(err as Error).message}`,
            EXIT.server,
          );
        }
      } finally {
        await connection.close();
      }
      const text = result.content.map(blockLine).join("\n");
      if (flags.json) print(JSON.stringify(result, null, 2));
      if (result.isError) {
        say(`${c.red("error:")} tool "${name}" returned an error${text ? `: ${text}` : ""}`);
        outcomes.value = EXIT.server;
        return;
      }
      if (!flags.json) {
        print(
          result.structuredContent !== undefined
            ? JSON.stringify(result.structuredContent, null, 2)
            : text,
        );
      }
      outcomes.value = 0;
    });
};
