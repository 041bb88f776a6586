export { type TimeoutOptions, type TimeoutVars, timeout } from "./timeout.js";
