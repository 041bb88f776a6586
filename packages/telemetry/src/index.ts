/**
 * `@mcpforge/telemetry`: OpenTelemetry traces and metrics for MCP Forge servers, per the
 * OpenTelemetry semantic conventions for MCP, on `@opentelemetry/api` alone.
 */
export { DURATION_BUCKETS } from "./internal/instruments.js";
export {
  extractTraceContext,
  injectTraceMeta,
  TRACE_META_KEYS,
} from "./propagation.js";
export {
  INSTRUMENTATION_NAME,
  type TelemetryOptions,
  type TelemetryVars,
  telemetry,
} from "./telemetry.js";
