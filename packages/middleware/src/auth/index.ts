/// <reference types="node" preserve="true" />
export { auth } from "./auth.js";
export { requireScopes } from "./scopes.js";
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
