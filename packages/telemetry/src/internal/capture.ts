/**
 * A captured value (tool arguments or results, opted into) as a span attribute: JSON, cut at
 * a maximum length so one call cannot blow up a span.
 *
 * @example
 * const text = captureJson({ city: "Paris" }, 1024); // '{"city":"Paris"}'
 */
export function captureJson(value: unknown, maxLength: number): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? "null";
  } catch {
    return "[unserializable]";
  }
  if (text.length <= maxLength) return text;
  let end = maxLength;
  // never cut a surrogate pair in half
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…[${text.length - end} more characters]`;
}
