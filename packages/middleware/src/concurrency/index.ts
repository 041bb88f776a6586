export { type ConcurrencyOptions, concurrency } from "./concurrency.js";
