import type {
  AudioContent,
  ContentBlock,
  EmbeddedResource,
  ImageContent,
  ResourceLink,
  TextContent,
} from "@modelcontextprotocol/sdk/types.js";

/** Binary data given as a Buffer/Uint8Array, or as a base64 string. */
export type BinaryInput = Uint8Array | string;

function toBase64(data: BinaryInput): string {
  if (typeof data === "string") return data;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64");
}

/**
 * A text content block.
 *
 * @example
 * return [text("hello"), text("world")];
 */
export function text(value: string): TextContent {
  return { type: "text", text: value };
}

/**
 * An image content block from a Buffer or base64 string.
 *
 * @example
 * import { readFile } from "node:fs/promises";
 * app.tool("chart", { description: "The sales chart" }, async () =>
 *   image(await readFile("chart.png"), "image/png"),
 * );
 */
export function image(data: BinaryInput, mimeType: string): ImageContent {
  return { type: "image", data: toBase64(data), mimeType };
}

/**
 * An audio content block from a Buffer or base64 string.
 *
 * @example
 * import { readFile } from "node:fs/promises";
 * app.tool("chime", { description: "The doorbell chime" }, async () =>
 *   audio(await readFile("chime.wav"), "audio/wav"),
 * );
 */
export function audio(data: BinaryInput, mimeType: string): AudioContent {
  return { type: "audio", data: toBase64(data), mimeType };
}

/** What {@link embeddedResource} takes: a URI plus text or binary content. */
export type EmbeddedResourceInput =
  | { uri: string; mimeType?: string; text: string }
  | { uri: string; mimeType?: string; blob: BinaryInput };

/**
 * An embedded resource content block (text or binary).
 *
 * @example
 * return embeddedResource({ uri: "file:///notes.txt", mimeType: "text/plain", text: "hi" });
 */
export function embeddedResource(input: EmbeddedResourceInput): EmbeddedResource {
  const { uri, mimeType } = input;
  const base = mimeType === undefined ? { uri } : { uri, mimeType };
  if ("text" in input) return { type: "resource", resource: { ...base, text: input.text } };
  return { type: "resource", resource: { ...base, blob: toBase64(input.blob) } };
}

/**
 * A resource link content block: a pointer the client may read later.
 *
 * @example
 * return resourceLink({ uri: "reports://q3", name: "Q3 report", mimeType: "application/pdf" });
 */
export function resourceLink(input: Omit<ResourceLink, "type">): ResourceLink {
  return { type: "resource_link", ...input };
}

const BLOCK_TYPES = new Set(["text", "image", "audio", "resource", "resource_link"]);

/**
 * Tells whether a value is an MCP content block.
 *
 * @example
 * isContentBlock({ type: "text", text: "x" }); // true
 */
export function isContentBlock(value: unknown): value is ContentBlock {
  if (typeof value !== "object" || value === null) return false;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string" || !BLOCK_TYPES.has(type)) return false;
  const v = value as Record<string, unknown>;
  switch (type) {
    case "text":
      return typeof v.text === "string";
    case "image":
    case "audio":
      return typeof v.data === "string" && typeof v.mimeType === "string";
    case "resource":
      return typeof v.resource === "object" && v.resource !== null;
    default:
      return typeof v.uri === "string" && typeof v.name === "string";
  }
}
