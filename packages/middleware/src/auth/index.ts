export {
  type ApiKeyLookup,
  type ApiKeyOptions,
  type ApiKeyPrincipal,
  type AuthOptions,
  type AuthVars,
  auth,
  type JwtAlgorithm,
  type JwtOptions,
  type Principal,
  requireScopes,
  type ScopeRequirements,
} from "./auth.js";
