import { McpForgeError } from "@mcpforge/core";
import { describe, expect, it } from "vitest";
import { sanitizeFilename } from "./filename.js";

describe("sanitizeFilename", () => {
  it("keeps ordinary names", () => {
    expect(sanitizeFilename("report-2024.pdf")).toBe("report-2024.pdf");
    expect(sanitizeFilename("résumé final.docx")).toBe("résumé final.docx");
  });

  it("removes separators, traversal, forbidden and control characters", () => {
    expect(sanitizeFilename("../../etc/passwd")).toBe("_.._etc_passwd");
    expect(sanitizeFilename("..\\..\\boot.ini")).toBe("_.._boot.ini");
    expect(sanitizeFilename("report:Q1?.pdf")).toBe("report_Q1_.pdf");
    expect(sanitizeFilename('a<b>c"d|e*f')).toBe("a_b_c_d_e_f");
    expect(sanitizeFilename("nul\u0000byte\nline.txt")).toBe("nul_byte_line.txt");
    expect(sanitizeFilename("invoice\u202Efdp.exe")).toBe("invoice_fdp.exe");
    expect(sanitizeFilename("a/b", { replacement: "" })).toBe("ab");
  });

  it("refuses hidden, dot-only, trailing-dot and Windows device names", () => {
    expect(sanitizeFilename(".bashrc")).toBe("bashrc");
    expect(sanitizeFilename("..")).toBe("file");
    expect(sanitizeFilename("   ")).toBe("file");
    expect(sanitizeFilename("")).toBe("file");
    expect(sanitizeFilename("name. . ")).toBe("name");
    expect(sanitizeFilename("CON")).toBe("_CON");
    expect(sanitizeFilename("lpt1.txt")).toBe("_lpt1.txt");
    expect(sanitizeFilename("console.txt")).toBe("console.txt");
  });

  it("limits the length in UTF-8 bytes, keeping the extension", () => {
    const long = sanitizeFilename(`${"é".repeat(300)}.tar`, { maxBytes: 100 });
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(100);
    expect(long.endsWith(".tar")).toBe(true);
    expect(long).not.toContain("\uFFFD");
    expect(Buffer.byteLength(sanitizeFilename("x".repeat(1000)))).toBe(255);
  });

  it("checks its input and options", () => {
    expect(() => sanitizeFilename(42 as never)).toThrow(McpForgeError);
    expect(() => sanitizeFilename("a", { replacement: "/" })).toThrow(/replacement/);
    expect(() => sanitizeFilename("a", { maxBytes: 3 })).toThrow(/maxBytes/);
  });
});
