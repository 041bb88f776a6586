/// <reference types="node" preserve="true" />
export { type ConcurrencyOptions, concurrency } from "./concurrency.js";
