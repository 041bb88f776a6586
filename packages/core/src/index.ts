export type {
  ComponentInfo,
  ContextHost,
  ContextLogger,
  ElicitResult,
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
export { type MaskedError, maskError } from "./errors/mask.js";
export {
  type EventStore,
  type MemoryEventStoreOptions,
  memoryEventStore,
  type ReplaySend,
} from "./http/event-store.js";
export { type HttpHook, McpHttpHandler, type RouteHandler, rpcError } from "./http/handler.js";
export { type HttpServerHandle, listenHttp } from "./http/listen.js";
export type { ListenOptions } from "./http/options.js";
export type { ResponseMode } from "./http/reply.js";
export { type CorsOptions, isLoopback } from "./http/security.js";
export { createStderrLogger, type LogLevel, type ServerLogger } from "./internal/logger.js";
export { compose, middlewareFor } from "./middleware/compose.js";
export type {
  Middleware,
  MiddlewareFn,
  MiddlewareHooks,
  Next,
  NotificationInfo,
} from "./middleware/types.js";
export type {
  Completer,
  ComponentOptions,
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
} from "./registry/components.js";
export type { ComponentHandle, ListKind } from "./registry/registry.js";
export { isUriTemplate, UriTemplate, type UriVariables } from "./resources/uri-template.js";
export {
  audio,
  type BinaryInput,
  type EmbeddedResourceInput,
  embeddedResource,
  image,
  isContentBlock,
  resourceLink,
  text,
} from "./results/content.js";
export { isCallToolResult, toCallToolResult } from "./results/tool-result.js";
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
export { logLevelRank, Session, type SessionInfo } from "./server/session.js";
export {
  defineSettings,
  parseDotEnv,
  SettingsError,
  type SettingsOptions,
} from "./settings/define-settings.js";
export {
  pickTransport,
  type RunOptions,
  registerTransport,
  runApp,
  runStdio,
  type TransportRunner,
} from "./transports/run.js";
export { StdioTransport, type StdioTransportOptions } from "./transports/stdio.js";
export {
  createOptionChecks,
  describeValue,
  MAX_TIMER_MS,
  type OptionChecks,
} from "./utils/option-checks.js";
export {
  assertSafeRelativePath,
  resolveRealPathWithin,
  resolveWithin,
} from "./utils/path-safety.js";
