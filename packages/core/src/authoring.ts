/// <reference types="node" preserve="true" />
/**
 * `@mcpforge/core/authoring`: what authors of middleware, stores and plugins build on — the
 * `SetupApi` contract, the onion runner, option checks, error shaping and masking, the caller
 * rule, URI templates and result conversion. App authors need only `@mcpforge/core`.
 */
export { ErrorCodes, kindOfCode } from "./errors/errors.js";
export { fromJsonRpcError, type JsonRpcError, toJsonRpcError } from "./errors/json-rpc.js";
export { type MaskedError, maskError } from "./errors/mask.js";
export { httpError } from "./http/errors.js";
export type { HttpHook, HttpRequest, RouteHandler, RouteOptions } from "./http/types.js";
export { createStderrLogger, type LogLevel, type ServerLogger } from "./internal/logger.js";
export { compose, middlewareFor } from "./middleware/compose.js";
export type { ComponentEntry, SetupApi } from "./middleware/types.js";
export { logLevelRank } from "./protocol/session.js";
export type { ResultSchema } from "./protocol/types.js";
export type { ForwardedOptions, ForwardedSpec } from "./registry/forwarded.js";
export { reservedMethodReason } from "./registry/methods.js";
export type { ForwardedCall, Forwarder, OutgoingNotification } from "./registry/types.js";
export { isUriTemplate, UriTemplate, type UriVariables } from "./resources/uri-template.js";
export { isContentBlock } from "./results/content.js";
export { isCallToolResult, toCallToolResult } from "./results/tool-result.js";
export { becomesToolError } from "./server/dispatch.js";
export { parseDotEnv } from "./settings/define-settings.js";
export {
  createOptionChecks,
  describeValue,
  MAX_TIMER_MS,
  type OptionChecks,
} from "./utils/option-checks.js";
export { principalKey } from "./utils/principal.js";
