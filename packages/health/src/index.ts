/// <reference types="node" preserve="true" />
/**
 * `@mcpforge/health`: liveness and readiness probes, dependency checks, Prometheus metrics
 * named after the OpenTelemetry MCP conventions, and an opt-in `health_check` tool.
 */
export { type EventLoopCheckOptions, eventLoopCheck } from "./checks/event-loop/index.js";
export { type HttpCheckOptions, httpCheck } from "./checks/http/index.js";
export {
  type HeapCheckOptions,
  heapCheck,
  type RssCheckOptions,
  rssCheck,
} from "./checks/memory/index.js";
export {
  type PostgresCheckOptions,
  type PostgresQueryable,
  postgresCheck,
} from "./checks/postgres/index.js";
export { type RedisCheckOptions, redisCheck } from "./checks/redis/index.js";
export { type TcpCheckOptions, tcpCheck } from "./checks/tcp/index.js";
export type {
  CheckContext,
  CheckFunction,
  CheckOutcome,
  HealthCheck,
  HealthStatus,
} from "./checks/types.js";
export { type HealthMiddleware, health } from "./health.js";
export type {
  DetailsMode,
  HealthOptions,
  HealthPaths,
  MetricsOptions,
} from "./health-options.js";
export type { RejectionRule } from "./internal/rejections.js";
export { type CheckEntry, HEALTH_JSON, type HealthReport } from "./internal/report.js";
export { DURATION_BUCKETS } from "./metrics/names.js";
export type {
  CacheCounts,
  RateLimitCounts,
  StatsSource,
  StatsSources,
} from "./metrics/stats-sources.js";
