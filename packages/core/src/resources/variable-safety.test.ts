import { describe, expect, it } from "vitest";
import { unsafeVariable } from "./variable-safety.js";

describe("unsafeVariable", () => {
  it.each([
    ["../../etc/passwd", "contains a slash"],
    ["..\\..\\windows\\win.ini", "contains a backslash"],
    ["C:\\Windows\\win.ini", "contains a backslash"],
    ["C:", "starts with a drive prefix"],
    ["a\u0000b", "contains a control character"],
    ["a\r\nb", "contains a control character"],
    ["..", 'contains a ".." segment'],
    ["..%2f..%2fetc", "contains a slash once decoded again"],
    ["%2e%2e", 'contains a ".." segment once decoded again'],
    ["a%00b", "contains a control character once decoded again"],
  ])("refuses %j in a one-segment variable (%s)", (value, reason) => {
    expect(unsafeVariable(value, false)).toBe(reason);
  });

  it.each([
    ["docs/intro.md"],
    ["a/b/c"],
    ["https://example.com/x"],
  ])("lets a path variable hold %j", (value) => {
    expect(unsafeVariable(value, true)).toBeUndefined();
  });

  it.each([
    ["a/../b", 'contains a ".." segment'],
    ["../x", 'contains a ".." segment'],
    ["a\\b", "contains a backslash"],
    ["C:/Windows", "starts with a drive prefix"],
    ["a/%2e%2e/b", 'contains a ".." segment once decoded again'],
  ])("still refuses %j in a path variable (%s)", (value, reason) => {
    expect(unsafeVariable(value, true)).toBe(reason);
  });

  it.each([
    ["42"],
    ["hello world"],
    ["..."],
    ["a..b"],
    ["100%"],
    ["%zz"],
    ["ünïcødé"],
  ])("lets ordinary values through: %j", (value) => {
    expect(unsafeVariable(value, false)).toBeUndefined();
  });
});
