/// <reference types="node" preserve="true" />
export { type TimeoutOptions, type TimeoutVars, timeout } from "./timeout.js";
