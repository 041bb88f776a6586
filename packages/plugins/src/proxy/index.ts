export type { BackendState, BackendStatus, ReconnectOptions } from "./backend.js";
export { createProxy, type ProxyApp, type ProxyBackend, type ProxyOptions } from "./proxy.js";
