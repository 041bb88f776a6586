export { ANONYMOUS, callerIdentity } from "./identity.js";
export {
  CACHE_META_KEY,
  type InvalidateTarget,
  type ResponseCache,
  type ResponseCacheOptions,
  type ResponseCacheStats,
  responseCache,
} from "./response-cache.js";
