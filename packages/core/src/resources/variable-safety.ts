/**
 * Why a URI template variable's decoded value is refused by default, or undefined when it is
 * safe to hand to a handler. A template variable is attacker-controlled: values that would walk
 * a file system (`..`, `/` in a one-segment value, `\`, a drive prefix such as `C:`) or smuggle
 * control characters (NUL, CR, LF, …) never reach a handler unless the template opts out.
 *
 * @example
 * unsafeVariable("../../etc/passwd", false); // "contains a slash"
 * unsafeVariable("docs/intro.md", true); // undefined: a path variable may hold "/"
 * unsafeVariable("..%2f..%2fetc", false); // "contains a slash once decoded again"
 */
export function unsafeVariable(value: string, allowSlash: boolean): string | undefined {
  const reason = unsafeOnce(value, allowSlash);
  if (reason !== undefined || !/%[0-9A-Fa-f]{2}/.test(value)) return reason;
  // Decoded exactly once, the value is what the handler gets; a handler that decodes it again
  // must not find a traversal either (double-encoded input such as `..%252f`).
  let again: string;
  try {
    again = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  const twice = unsafeOnce(again, allowSlash);
  return twice === undefined ? undefined : `${twice} once decoded again`;
}

function unsafeOnce(value: string, allowSlash: boolean): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(value)) return "contains a control character";
  if (value.includes("\\")) return "contains a backslash";
  if (/^[A-Za-z]:(?:[/\\]|$)/.test(value)) return "starts with a drive prefix";
  if (!allowSlash && value.includes("/")) return "contains a slash";
  if (value.split("/").some((segment) => segment === "..")) return 'contains a ".." segment';
  return undefined;
}
