/**
 * The revisions this server speaks, newest first: the SDK 1.32 list (`SUPPORTED_PROTOCOL_VERSIONS`
 * in its `types.js`), kept here so a server does not load that module at start-up; a test checks
 * the two are the same.
 */
const SUPPORTED: readonly string[] = [
  "2025-11-25",
  "2025-06-18",
  "2025-03-26",
  "2024-11-05",
  "2024-10-07",
];

/** The protocol revision offered when a client asks for one this server does not speak. */
export const LATEST_VERSION: string = "2025-11-25";

/**
 * Whether this server speaks a protocol revision (`2025-11-25`, `2025-06-18`, …).
 *
 * @example
 * isSupportedVersion("2025-06-18"); // true
 */
export function isSupportedVersion(version: unknown): boolean {
  return typeof version === "string" && SUPPORTED.includes(version);
}

/**
 * The revision negotiated for a client's `initialize`: the one it asked for when supported,
 * else the latest (the client then decides whether it can continue). The one rule every
 * transport uses.
 *
 * @example
 * negotiateVersion("2025-03-26"); // "2025-03-26"
 * negotiateVersion("1999-01-01"); // the latest revision
 */
export function negotiateVersion(requested: unknown): string {
  return typeof requested === "string" && isSupportedVersion(requested)
    ? requested
    : LATEST_VERSION;
}

/**
 * Whether a protocol revision allows JSON-RPC batches: 2025-03-26 and earlier do; 2025-06-18
 * removed them.
 *
 * @example
 * allowsBatches("2025-03-26"); // true
 * allowsBatches("2025-11-25"); // false
 */
export function allowsBatches(version: string): boolean {
  return version < "2025-06-18";
}
