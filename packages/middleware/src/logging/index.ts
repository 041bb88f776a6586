/// <reference types="node" preserve="true" />
export { type LoggingOptions, type LoggingVars, logging } from "./logging.js";
