/// <reference types="node" preserve="true" />
export { type TimingOptions, type TimingVars, timing } from "./timing.js";
