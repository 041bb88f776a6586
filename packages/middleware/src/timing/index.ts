export { type TimingOptions, type TimingVars, timing } from "./timing.js";
