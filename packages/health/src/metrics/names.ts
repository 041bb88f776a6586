/**
 * Metric names: the OpenTelemetry MCP semantic conventions' instruments in Prometheus style
 * (`mcp.server.operation.duration` in seconds → `mcp_server_operation_duration_seconds`, label
 * `mcp.method.name` → `mcp_method_name`), plus this package's own under `mcpforge_`.
 */
export const OPERATION_DURATION = "mcp_server_operation_duration_seconds";
export const SESSION_DURATION = "mcp_server_session_duration_seconds";
export const ACTIVE_SESSIONS = "mcpforge_sessions_active";
export const IN_FLIGHT = "mcpforge_requests_in_flight";
export const RATE_LIMIT_DECISIONS = "mcpforge_rate_limit_decisions_total";
export const CACHE_REQUESTS = "mcpforge_cache_requests_total";
export const CACHE_EVICTIONS = "mcpforge_cache_evictions_total";
export const CHECK_STATUS = "mcpforge_health_check_status";
export const CHECK_DURATION = "mcpforge_health_check_duration_seconds";
export const READY = "mcpforge_ready";

/** The semantic conventions' advised bucket boundaries of both MCP duration histograms (s). */
export const DURATION_BUCKETS: readonly number[] = [
  0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300,
];

/** The label value that stands for every name beyond the cardinality bound. */
export const OTHER = "_OTHER";
