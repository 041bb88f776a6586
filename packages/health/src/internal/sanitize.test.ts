import { describe, expect, it } from "vitest";
import { errorText, sanitize } from "./sanitize.js";

describe("sanitize", () => {
  it("removes credentials, secrets, tokens and addresses", () => {
    expect(sanitize("connect failed: postgres://app:hunter2@db:5432/app")).toBe(
      "connect failed: postgres://***@db:5432/app",
    );
    expect(sanitize("auth failed, password=hunter2")).toBe("auth failed, password=***");
    expect(sanitize("sent Bearer abc.def")).toBe("sent Bearer ***");
    expect(errorText(new Error("connect ECONNREFUSED 127.0.0.1:43871"))).toBe(
      "connect ECONNREFUSED <address>",
    );
    expect(sanitize("connect ECONNREFUSED ::1:6379")).toBe("connect ECONNREFUSED <address>");
    expect(sanitize("connect ECONNREFUSED [fe80::1]:6379 after 3 tries")).toBe(
      "connect ECONNREFUSED <address> after 3 tries",
    );
    expect(sanitize("timed out after 1000 ms at 12:30:15")).toBe(
      "timed out after 1000 ms at 12:30:15",
    );
  });
});
