import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { ErrorCodes, isMcpForgeError, kindOfCode, McpForgeError } from "./errors.js";
import { fromJsonRpcError, toJsonRpcError } from "./json-rpc.js";

describe("the error table", () => {
  it("gives every kind its own code", () => {
    const codes = Object.values(ErrorCodes);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("maps codes back to kinds", () => {
    expect(kindOfCode(-32602)).toBe("invalid_params");
    expect(kindOfCode(-32005)).toBe("session_not_found");
    expect(kindOfCode(12345)).toBeUndefined();
  });
});

describe("toJsonRpcError (the one place errors are shaped)", () => {
  it("keeps an McpForgeError's code, message and data", () => {
    const err = new McpForgeError("rate_limited", "slow down", { data: { retryAfterMs: 5 } });
    expect(toJsonRpcError(err)).toEqual({
      code: -32029,
      message: "slow down",
      data: { retryAfterMs: 5 },
    });
  });

  it("masks anything else, including the SDK's McpError", () => {
    expect(toJsonRpcError(new Error("db password wrong"))).toEqual({
      code: -32603,
      message: "Internal error",
    });
    expect(toJsonRpcError(new McpError(-32602, "x"))).toEqual({
      code: -32603,
      message: "Internal error",
    });
    expect(toJsonRpcError("thrown string")).toEqual({ code: -32603, message: "Internal error" });
  });
});

describe("fromJsonRpcError", () => {
  it("turns a received error into core's error class", () => {
    const err = fromJsonRpcError({ code: -32602, message: "bad" });
    expect(isMcpForgeError(err)).toBe(true);
    expect(err.kind).toBe("invalid_params");
    expect(err.code).toBe(-32602);
  });

  it("keeps an unknown code in data", () => {
    const err = fromJsonRpcError({ code: -1, message: "User rejected" });
    expect(err.kind).toBe("internal");
    expect(err.message).toBe("User rejected");
    expect(err.data).toEqual({ code: -1, data: undefined });
  });
});
