export { auth, requireScopes } from "./auth.js";
export type {
  ApiKeyLookup,
  ApiKeyOptions,
  ApiKeyPrincipal,
  AuthOptions,
  AuthVars,
  JwtAlgorithm,
  JwtOptions,
  Principal,
  ScopeRequirements,
} from "./types.js";
