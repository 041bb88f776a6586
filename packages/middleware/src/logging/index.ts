export { type LoggingOptions, type LoggingVars, logging } from "./logging.js";
