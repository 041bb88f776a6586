const EXPORT_NAME = /^[A-Za-z_$][\w$]*$/;

/** A server file and the export to take the app from. */
export interface FileTarget {
  file: string;
  exportName?: string;
}

/**
 * Splits `server.ts:createServer` into the file and the export name (a Windows drive letter
 * such as `C:\x.ts` is not an export).
 *
 * @example
 * parseFileTarget("src/server.ts:app"); // { file: "src/server.ts", exportName: "app" }
 */
export function parseFileTarget(target: string): FileTarget {
  const at = target.lastIndexOf(":");
  if (at > 1) {
    const name = target.slice(at + 1);
    if (EXPORT_NAME.test(name)) return { file: target.slice(0, at), exportName: name };
  }
  return { file: target };
}

/** Whether a target is a URL (Streamable HTTP) rather than a file (stdio). */
export function isUrl(target: string): boolean {
  return /^https?:\/\//i.test(target);
}
