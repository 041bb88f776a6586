/// <reference types="node" preserve="true" />
export { type AuthOptions, type AuthVars, auth, requireScopes } from "./auth/index.js";
export { type ConcurrencyOptions, concurrency } from "./concurrency/index.js";
export { type ErrorMaskingOptions, type ErrorMaskingVars, errorMasking } from "./errors/index.js";
export { type LoggingOptions, type LoggingVars, logging } from "./logging/index.js";
export {
  memoryRateLimitStore,
  type RateLimitOptions,
  rateLimit,
  redisRateLimitStore,
} from "./rate-limit/index.js";
export { type TimeoutOptions, type TimeoutVars, timeout } from "./timeout/index.js";
export { type TimingOptions, type TimingVars, timing } from "./timing/index.js";
export {
  escapeHtml,
  resolveInRoot,
  type SanitizeFilenameOptions,
  sanitizeFilename,
  stripHtml,
  type ValidateUrlOptions,
  type ValidationOptions,
  type ValidationPolicy,
  validateUrl,
  validation,
} from "./validation/index.js";
