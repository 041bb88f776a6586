import { describe, expect, it } from "vitest";
import { colorsFor } from "./ui.js";

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;

describe("colorsFor", () => {
  it("colors a TTY only", () => {
    expect(colorsFor(tty, {})).toBe(true);
    expect(colorsFor(pipe, {})).toBe(false);
  });

  it("never colors with NO_COLOR set (an empty NO_COLOR does not count) or TERM=dumb", () => {
    expect(colorsFor(tty, { NO_COLOR: "1" })).toBe(false);
    expect(colorsFor(tty, { NO_COLOR: "" })).toBe(true);
    expect(colorsFor(tty, { TERM: "dumb" })).toBe(false);
  });
});
