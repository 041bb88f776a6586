export { type CachedFunction, type CachedOptions, type CachedStats, cached } from "./cached.js";
