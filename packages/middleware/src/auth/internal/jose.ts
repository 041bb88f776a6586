/** jose, loaded on first use: importing `@mcpforge/middleware` (or auth with API keys only) never loads it. */
type Jose = typeof import("jose");

let loading: Promise<Jose> | undefined;

/**
 * The jose module, imported once when JWT verification is first set up.
 *
 * @example
 * const { jwtVerify } = await loadJose();
 */
export function loadJose(): Promise<Jose> {
  loading ??= import("jose");
  return loading;
}
