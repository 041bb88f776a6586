import { describe, expect, it } from "vitest";
import { escapeHtml, stripHtml } from "./html.js";

describe("stripHtml", () => {
  it("removes tags, comments and script/style content", () => {
    expect(stripHtml("<p>Hello <b>world</b></p>")).toBe("Hello world");
    expect(stripHtml('a<script type="x">alert("x")</script>b<style>p{}</style>c')).toBe("abc");
    expect(stripHtml("x<!-- hidden <b>y</b> -->z")).toBe("xz");
    expect(stripHtml('<img src=x onerror="alert(1)">caption')).toBe("caption");
    expect(stripHtml("<SCRIPT>evil()</SCRIPT >ok")).toBe("ok");
  });

  it("leaves text with angle brackets that are not tags, and entities, alone", () => {
    expect(stripHtml("1 < 2 and 3 > 2")).toBe("1 < 2 and 3 > 2");
    expect(stripHtml("&lt;b&gt; stays escaped")).toBe("&lt;b&gt; stays escaped");
  });

  it("handles nested, unclosed and re-forming tricks", () => {
    expect(stripHtml("<scr<script>x</script>ipt>alert(1)</script>")).not.toMatch(/<script/i);
    expect(stripHtml("text<script>never closed")).toBe("text");
    expect(stripHtml("text <a href='x'")).toBe("text ");
    expect(stripHtml("<<b>b>bold<</b>/b>")).not.toMatch(/<\/?b>/);
    expect(stripHtml("<!-- unterminated")).toBe("");
  });
});

describe("escapeHtml", () => {
  it("escapes the five HTML-significant characters", () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;",
    );
    expect(escapeHtml("plain")).toBe("plain");
    expect(escapeHtml("&amp;")).toBe("&amp;amp;");
  });
});
