import {
  audio,
  type Context,
  createServer,
  embeddedResource,
  image,
  jsonSchema,
  type McpForgeApp,
  text,
} from "@mcpforge/core";
import type { CallToolResult, CreateMessageResult } from "@modelcontextprotocol/sdk/types.js";
import * as z from "zod";

/** A 1x1 RGB PNG (one red pixel), base64. */
export const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGN44GAAAANUAVG+TbwNAAAAAElFTkSuQmCC";

/** A tiny WAV file: 8 kHz, mono, 8-bit PCM, 8 samples of silence, base64. */
export const WAV_BASE64 = makeWav(8).toString("base64");

/** The resource whose content changes over time (subscribers get `resources/updated`). */
export const WATCHED_URI = "test://watched-resource";

/** Every name the conformance suite expects, for inventory checks. */
export const INVENTORY = {
  tools: [
    "test_simple_text",
    "test_image_content",
    "test_audio_content",
    "test_embedded_resource",
    "test_multiple_content_types",
    "test_tool_with_logging",
    "test_tool_with_progress",
    "test_error_handling",
    "test_sampling",
    "test_elicitation",
    "test_elicitation_sep1034_defaults",
    "test_elicitation_sep1330_enums",
    "json_schema_2020_12_tool",
    "test_reconnection",
  ],
  resources: ["test://static-text", "test://static-binary", WATCHED_URI],
  resourceTemplates: ["test://template/{id}/data"],
  prompts: [
    "test_simple_prompt",
    "test_prompt_with_arguments",
    "test_prompt_with_embedded_resource",
    "test_prompt_with_image",
  ],
} as const;

/** Options of {@link createConformanceServer}. */
export interface ConformanceServerOptions {
  /** How often the watched resource changes once someone subscribed (default 1000 ms). */
  watchIntervalMs?: number;
}

/** The `inputSchema` of `json_schema_2020_12_tool`, served exactly as written. */
export const JSON_SCHEMA_2020_12_INPUT = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  $defs: {
    address: {
      type: "object",
      properties: { street: { type: "string" }, city: { type: "string" } },
    },
  },
  properties: {
    name: { type: "string" },
    address: { $ref: "#/$defs/address" },
  },
  additionalProperties: false,
} as const;

function makeWav(samples: number): Buffer {
  const sampleRate = 8000;
  const buf = Buffer.alloc(44 + samples);
  buf.write("RIFF", 0, "ascii");
  buf.writeUInt32LE(36 + samples, 4);
  buf.write("WAVE", 8, "ascii");
  buf.write("fmt ", 12, "ascii");
  buf.writeUInt32LE(16, 16); // fmt chunk size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate, 28); // byte rate = rate * channels * bytes per sample
  buf.writeUInt16LE(1, 32); // block align
  buf.writeUInt16LE(8, 34); // bits per sample
  buf.write("data", 36, "ascii");
  buf.writeUInt32LE(samples, 40);
  buf.fill(0x80, 44); // 8-bit PCM silence
  return buf;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The text of a sampling answer (one content block, or several in newer protocol versions). */
function sampledText(result: CreateMessageResult): string {
  const blocks: unknown[] = Array.isArray(result.content) ? result.content : [result.content];
  return blocks
    .map((b) => {
      const block = b as { type?: string; text?: string };
      return block.type === "text" ? (block.text ?? "") : `[${block.type ?? "unknown"} content]`;
    })
    .join("\n");
}

async function elicitSummary(
  ctx: Context,
  prefix: string,
  message: string,
  requestedSchema: Parameters<Context["elicit"]>[1],
): Promise<CallToolResult> {
  const result = await ctx.elicit(message, requestedSchema);
  return {
    content: [
      text(`${prefix}: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`),
    ],
  };
}

const ARG1_COMPLETIONS = ["test", "test1", "test2", "testValue1", "example", "sample"];

/**
 * Builds the server the official MCP conformance suite checks: every tool, resource, template
 * and prompt of its server scenarios.
 *
 * @example
 * const http = await createConformanceServer().listen({ port: 0, mode: "stateful" });
 */
export function createConformanceServer(options: ConformanceServerOptions = {}): McpForgeApp {
  const watchIntervalMs = options.watchIntervalMs ?? 1000;
  const app = createServer({
    name: "mcpforge-conformance",
    version: "0.0.0",
    instructions: "Test server for the MCP conformance suite.",
  });

  // ---- tools -------------------------------------------------------------------------------

  app.tool(
    "test_simple_text",
    { description: "Returns a simple text response" },
    () => "This is a simple text response for testing.",
  );

  app.tool("test_image_content", { description: "Returns an image (a 1x1 PNG)" }, () => [
    image(PNG_BASE64, "image/png"),
  ]);

  app.tool("test_audio_content", { description: "Returns audio (a tiny WAV file)" }, () => [
    audio(WAV_BASE64, "audio/wav"),
  ]);

  app.tool("test_embedded_resource", { description: "Returns an embedded text resource" }, () => [
    embeddedResource({
      uri: "test://embedded-resource",
      mimeType: "text/plain",
      text: "This is an embedded resource content.",
    }),
  ]);

  app.tool(
    "test_multiple_content_types",
    { description: "Returns text, an image and an embedded resource" },
    () => [
      text("Multiple content types test:"),
      image(PNG_BASE64, "image/png"),
      embeddedResource({
        uri: "test://mixed-content-resource",
        mimeType: "application/json",
        text: JSON.stringify({ test: "data", value: 123 }),
      }),
    ],
  );

  app.tool(
    "test_tool_with_logging",
    { description: "Sends three info log notifications while it runs" },
    async (_args, ctx) => {
      await ctx.log.info("Tool execution started");
      await sleep(50);
      await ctx.log.info("Tool processing data");
      await sleep(50);
      await ctx.log.info("Tool execution completed");
      return "Logging test completed";
    },
  );

  app.tool(
    "test_tool_with_progress",
    { description: "Reports progress 0, 50 and 100 of 100 when given a progress token" },
    async (_args, ctx) => {
      await ctx.progress(0, 100);
      await sleep(50);
      await ctx.progress(50, 100);
      await sleep(50);
      await ctx.progress(100, 100);
      return "Progress test completed";
    },
  );

  app.tool(
    "test_error_handling",
    { description: "Always returns a tool error result (isError: true)" },
    (): CallToolResult => ({
      isError: true,
      content: [text("This tool intentionally returns an error for testing")],
    }),
  );

  app.tool(
    "test_sampling",
    {
      description: "Asks the client's LLM to answer a prompt (sampling/createMessage)",
      input: { prompt: z.string().describe("The prompt to send to the LLM") },
    },
    async ({ prompt }, ctx) => {
      const reply = await ctx.sample(prompt, { maxTokens: 100 });
      return [text(`LLM response: ${sampledText(reply)}`)];
    },
  );

  app.tool(
    "test_elicitation",
    {
      description: "Asks the user for a username and an email (elicitation/create)",
      input: { message: z.string().describe("The message shown to the user") },
    },
    ({ message }, ctx) =>
      elicitSummary(ctx, "User response", message, {
        type: "object",
        properties: {
          username: { type: "string", description: "User's response" },
          email: { type: "string", description: "User's email address" },
        },
        required: ["username", "email"],
      }),
  );

  app.tool(
    "test_elicitation_sep1034_defaults",
    { description: "Elicits fields that carry default values (SEP-1034)" },
    (_args, ctx) =>
      elicitSummary(ctx, "Elicitation completed", "Please review and update the form fields", {
        type: "object",
        properties: {
          name: { type: "string", description: "User name", default: "John Doe" },
          age: { type: "integer", description: "User age", default: 30 },
          score: { type: "number", description: "User score", default: 95.5 },
          status: {
            type: "string",
            description: "User status",
            enum: ["active", "inactive", "pending"],
            default: "active",
          },
          verified: { type: "boolean", description: "Verification status", default: true },
        },
      }),
  );

  app.tool(
    "test_elicitation_sep1330_enums",
    {
      description: "Elicits every enum form: untitled, titled, legacy, single and multi (SEP-1330)",
    },
    (_args, ctx) =>
      elicitSummary(ctx, "Elicitation completed", "Please choose from the options", {
        type: "object",
        properties: {
          untitledSingle: {
            type: "string",
            description: "Pick one option",
            enum: ["option1", "option2", "option3"],
          },
          titledSingle: {
            type: "string",
            description: "Pick one titled option",
            oneOf: [
              { const: "value1", title: "First Option" },
              { const: "value2", title: "Second Option" },
              { const: "value3", title: "Third Option" },
            ],
          },
          legacyEnum: {
            type: "string",
            description: "Pick one option (legacy enumNames)",
            enum: ["opt1", "opt2", "opt3"],
            enumNames: ["Option One", "Option Two", "Option Three"],
          },
          untitledMulti: {
            type: "array",
            description: "Pick several options",
            items: { type: "string", enum: ["option1", "option2", "option3"] },
          },
          titledMulti: {
            type: "array",
            description: "Pick several titled options",
            items: {
              anyOf: [
                { const: "value1", title: "First Choice" },
                { const: "value2", title: "Second Choice" },
                { const: "value3", title: "Third Choice" },
              ],
            },
          },
        },
      }),
  );

  app.tool(
    "json_schema_2020_12_tool",
    {
      description: "Tool with JSON Schema 2020-12 features",
      input: jsonSchema(JSON_SCHEMA_2020_12_INPUT),
    },
    (args) => `Received: ${JSON.stringify(args)}`,
  );

  app.tool(
    "test_reconnection",
    {
      description:
        "Closes this call's SSE stream early; the client resumes with GET and Last-Event-ID (SEP-1699)",
    },
    async (_args, ctx) => {
      ctx.closeSSEStream();
      await sleep(100);
      return "Reconnection test completed successfully";
    },
  );

  // ---- resources ---------------------------------------------------------------------------

  app.resource(
    "test://static-text",
    {
      name: "static-text",
      title: "Static text resource",
      description: "A static text resource",
      mimeType: "text/plain",
    },
    () => "This is the content of the static text resource.",
  );

  app.resource(
    "test://static-binary",
    {
      name: "static-binary",
      title: "Static binary resource",
      description: "A static binary resource (a 1x1 PNG)",
      mimeType: "image/png",
    },
    () => ({ blob: PNG_BASE64, mimeType: "image/png" }),
  );

  let watchedVersion = 0;
  let watchTimer: NodeJS.Timeout | undefined;
  const startWatching = () => {
    if (watchTimer) return;
    watchTimer = setInterval(() => {
      watchedVersion++;
      app.notifyResourceUpdated(WATCHED_URI);
    }, watchIntervalMs);
    watchTimer.unref();
  };
  app.onClose(() => {
    if (watchTimer) clearInterval(watchTimer);
    watchTimer = undefined;
  });

  app.resource(
    WATCHED_URI,
    {
      name: "watched-resource",
      title: "Watched resource",
      description: "A resource that changes over time; subscribe to hear about updates",
      mimeType: "text/plain",
    },
    () => `Watched resource content, version ${watchedVersion} (${new Date().toISOString()})`,
  );

  app.use({
    name: "watched-resource-timer",
    async onRequest(ctx, next) {
      const result = await next();
      if (ctx.method === "resources/subscribe" && ctx.params.uri === WATCHED_URI) startWatching();
      return result;
    },
  });

  app.resource(
    "test://template/{id}/data",
    {
      name: "template-data",
      title: "Template data",
      description: "JSON data for any id",
      mimeType: "application/json",
      params: { id: z.string() },
    },
    ({ id }) => ({
      text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
      mimeType: "application/json",
    }),
  );

  // ---- prompts -----------------------------------------------------------------------------

  app.prompt(
    "test_simple_prompt",
    { description: "A simple prompt without arguments" },
    () => "This is a simple prompt for testing.",
  );

  app.prompt(
    "test_prompt_with_arguments",
    {
      description: "A prompt with two required arguments",
      args: {
        arg1: z.string().describe("First test argument"),
        arg2: z.string().describe("Second test argument"),
      },
      complete: {
        arg1: (value) => ARG1_COMPLETIONS.filter((v) => v.startsWith(value)),
        arg2: (value) => ["testValue2", "other"].filter((v) => v.startsWith(value)),
      },
    },
    ({ arg1, arg2 }) => `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`,
  );

  app.prompt(
    "test_prompt_with_embedded_resource",
    {
      description: "A prompt that embeds a resource",
      args: { resourceUri: z.string().describe("URI of the resource to embed") },
    },
    ({ resourceUri }) => [
      {
        role: "user",
        content: embeddedResource({
          uri: resourceUri,
          mimeType: "text/plain",
          text: "Embedded resource content for testing.",
        }),
      },
      "Please process the embedded resource above.",
    ],
  );

  app.prompt("test_prompt_with_image", { description: "A prompt that includes an image" }, () => [
    { role: "user", content: image(PNG_BASE64, "image/png") },
    "Please analyze the image above.",
  ]);

  return app;
}
