/// <reference types="node" preserve="true" />
/**
 * `@mcpforge/core` for app authors: create a server, register components, run it.
 * Helpers for package authors live in `@mcpforge/core/authoring`; transport plumbing in
 * `@mcpforge/core/transport`; the shared Redis connection in `@mcpforge/core/redis`.
 */
export type {
  ComponentInfo,
  ContextLogger,
  ElicitResult,
  OutgoingRequest,
  OutgoingWrapper,
  SampleOptions,
  Vars,
} from "./context/context.js";
export { Context } from "./context/context.js";
export {
  ErrorCodes,
  type ErrorKind,
  isMcpForgeError,
  McpForgeError,
  type McpForgeErrorOptions,
  ToolError,
} from "./errors/errors.js";
export {
  type EventStore,
  type EventStoreStats,
  type MemoryEventStore,
  type MemoryEventStoreOptions,
  memoryEventStore,
} from "./http/event-store.js";
export type { HttpServerHandle } from "./http/listen.js";
export type { ListenOptions } from "./http/options.js";
export type { ResponseMode } from "./http/reply.js";
export type { CorsOptions } from "./http/security.js";
export type { LogLevel, ServerLogger } from "./internal/logger.js";
export type {
  Middleware,
  MiddlewareFn,
  MiddlewareHooks,
  Next,
  NotificationInfo,
} from "./middleware/types.js";
export type { SessionInfo } from "./protocol/session.js";
export type { MethodHandler, MethodOptions } from "./registry/methods.js";
export type {
  Completer,
  ComponentHandle,
  ComponentOptions,
  ListKind,
  PromptHandler,
  PromptOptions,
  PromptReturn,
  ResourceContentInput,
  ResourceHandler,
  ResourceOptions,
  ResourceReturn,
  TemplateHandler,
  ToolHandler,
  ToolOptions,
} from "./registry/types.js";
export {
  audio,
  type BinaryInput,
  type EmbeddedResourceInput,
  embeddedResource,
  image,
  resourceLink,
  text,
} from "./results/content.js";
export {
  type InferSchema,
  type JsonSchemaInput,
  jsonSchema,
  type SchemaInput,
} from "./schema/schema.js";
export {
  type ConnectOptions,
  createServer,
  McpForgeApp,
  type ServerOptions,
} from "./server/app.js";
export type { Registration } from "./server/extensions.js";
export {
  defineSettings,
  SettingsError,
  type SettingsOptions,
} from "./settings/define-settings.js";
export type { RunOptions } from "./transports/run.js";
export {
  assertSafeRelativePath,
  resolveRealPathWithin,
  resolveWithin,
} from "./utils/path-safety.js";
