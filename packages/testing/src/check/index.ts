export {
  type CheckReport,
  type CheckServerOptions,
  checkRules,
  checkServer,
} from "./check-server.js";
export type { Finding, FindingComponent, Severity } from "./types.js";
