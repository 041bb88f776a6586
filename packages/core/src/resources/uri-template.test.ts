import { describe, expect, it } from "vitest";
import { isUriTemplate, UriTemplate, type UriVariables } from "./uri-template.js";

describe("UriTemplate parsing", () => {
  it("exposes the template and variable names in order of appearance", () => {
    const t = new UriTemplate("file:///{+path}/{name}{?version,lang}{&x}");
    expect(t.template).toBe("file:///{+path}/{name}{?version,lang}{&x}");
    expect(t.variableNames).toEqual(["path", "name", "version", "lang", "x"]);
    expect(t.toString()).toBe(t.template);
    expect(String(t)).toBe(t.template);
  });

  it("accepts templates without expressions", () => {
    const t = new UriTemplate("config://app");
    expect(t.variableNames).toEqual([]);
    expect(t.match("config://app")).toEqual({});
    expect(t.match("config://app2")).toBeNull();
    expect(t.expand({})).toBe("config://app");
  });

  it.each([
    ["a/{b", /unclosed "\{" at position 2/],
    ["a/{b/{c}", /unclosed "\{" at position 2/],
    ["a/b}", /unmatched "\}" at position 3/],
    ["a/{}", /empty expression/],
    ["a/{+}", /has no variable/],
    ["a/{b,,c}", /bad variable name ""/],
    ["a/{b-c}", /bad variable name "b-c"/],
    ["a/{b c}", /bad variable name "b c"/],
    ["a/{.b.}", /bad variable name "b\."/],
    ["a/{=b}", /unsupported operator "="/],
    ["a/{b:0}", /invalid prefix length "0"/],
    ["a/{b:10000}", /invalid prefix length "10000"/],
    ["a/{b}/{b}", /duplicate variable name "b"/],
    ["a/{b}{?b}", /duplicate variable name "b"/],
  ])("rejects the malformed template %s", (template, message) => {
    expect(() => new UriTemplate(template)).toThrow(message);
    expect(() => new UriTemplate(template)).toThrow(/^Invalid URI template "/);
  });

  it("accepts dotted and percent-encoded variable names, prefixes and explode", () => {
    expect(new UriTemplate("{a.b}{c%20d}{e:3}{f*}").variableNames).toEqual([
      "a.b",
      "c%20d",
      "e",
      "f",
    ]);
  });
});

describe("isUriTemplate", () => {
  it("detects expressions", () => {
    expect(isUriTemplate("file:///{path}")).toBe(true);
    expect(isUriTemplate("users/{id}/posts{?page}")).toBe(true);
    expect(isUriTemplate("file:///readme.md")).toBe(false);
    expect(isUriTemplate("a/{}")).toBe(false);
    expect(isUriTemplate("a/{b")).toBe(false);
  });
});

describe("UriTemplate.match", () => {
  it("matches a simple variable", () => {
    const t = new UriTemplate("users/{id}");
    expect(t.match("users/42")).toEqual({ id: "42" });
    expect(t.match("users/")).toBeNull();
    expect(t.match("users/42/posts")).toBeNull();
    expect(t.match("users/42?x=1")).toBeNull();
    expect(t.match("users/4#2")).toBeNull();
    expect(t.match("users/4&2")).toBeNull();
    expect(t.match("xusers/42")).toBeNull();
  });

  it("matches multiple variables", () => {
    const t = new UriTemplate("reports/{report_type}/{date_range}");
    expect(t.match("reports/sales/2024-q1")).toEqual({
      report_type: "sales",
      date_range: "2024-q1",
    });
    expect(t.match("reports/sales")).toBeNull();
    expect(t.match("reports/sales/2024/q1")).toBeNull();
  });

  it("matches literal scheme prefixes", () => {
    const t = new UriTemplate("test://template/{id}/data");
    expect(t.match("test://template/abc-123/data")).toEqual({ id: "abc-123" });
    expect(t.match("test://template/abc/other")).toBeNull();
    expect(t.match("other://template/abc/data")).toBeNull();
    // Regex metacharacters in literals are literal.
    const dotted = new UriTemplate("a.b+c://x/{id}");
    expect(dotted.match("a.b+c://x/1")).toEqual({ id: "1" });
    expect(dotted.match("aXbbc://x/1")).toBeNull();
  });

  it("stops a simple variable at the following literal", () => {
    expect(new UriTemplate("files/{name}.json").match("files/a.b.json")).toEqual({ name: "a.b" });
    expect(new UriTemplate("files/{name}.json").match("files/a.json.bak")).toBeNull();
    expect(new UriTemplate("files/{name}.json").match("files/a.json")).toEqual({ name: "a" });
    expect(new UriTemplate("x/{a}-{b}").match("x/1-2-3")).toEqual({ a: "1", b: "2-3" });
  });

  it("percent-decodes every value exactly once", () => {
    const t = new UriTemplate("files/{name}");
    expect(t.match("files/a%20b")).toEqual({ name: "a b" });
    expect(t.match("files/%252e%252e")).toEqual({ name: "%2e%2e" });
    expect(t.match("files/%2F")).toEqual({ name: "/" });
    expect(t.match("files/caf%C3%A9")).toEqual({ name: "café" });
    expect(new UriTemplate("q{?x}").match("q?x=%2541")).toEqual({ x: "%41" });
    expect(new UriTemplate("p{/s*}").match("p/%2525/b%20c")).toEqual({ s: ["%25", "b c"] });
  });

  it("returns null on malformed percent-encoding", () => {
    const t = new UriTemplate("files/{name}");
    expect(t.match("files/%zz")).toBeNull();
    expect(t.match("files/abc%")).toBeNull();
    expect(t.match("files/%E2%82")).toBeNull();
    expect(t.match("files/%c0%ae")).toBeNull();
    expect(new UriTemplate("q{?x}").match("q?x=%G1")).toBeNull();
    expect(new UriTemplate("p{/s*}").match("p/a/%")).toBeNull();
  });

  it("keeps a comma-separated value of a non-explode variable as one string", () => {
    expect(new UriTemplate("tags/{tags}").match("tags/a,b,c")).toEqual({ tags: "a,b,c" });
    expect(new UriTemplate("q{?tags}").match("q?tags=a,b")).toEqual({ tags: "a,b" });
  });

  it("lets reserved and fragment expansion contain slashes", () => {
    const t = new UriTemplate("file:///{+path}");
    expect(t.match("file:///a/b/c.txt")).toEqual({ path: "a/b/c.txt" });
    expect(t.match("file:///a%20b/c")).toEqual({ path: "a b/c" });
    expect(new UriTemplate("doc{#section}").match("doc#intro/part")).toEqual({
      section: "intro/part",
    });
    expect(new UriTemplate("file:///{+path}/raw").match("file:///a/b/raw")).toEqual({
      path: "a/b",
    });
  });

  it("matches path segment and label operators", () => {
    const seg = new UriTemplate("api{/version}/items");
    expect(seg.match("api/v2/items")).toEqual({ version: "v2" });
    expect(seg.match("api/v2/x/items")).toBeNull();
    expect(new UriTemplate("{name}{.ext}").match("archive.tar.gz")).toEqual({
      name: "archive",
      ext: "tar.gz",
    });
    expect(new UriTemplate("host{.dom*}").match("host.example.com")).toEqual({
      dom: ["example", "com"],
    });
  });

  it("matches zero or more exploded path segments", () => {
    const t = new UriTemplate("files{/path*}");
    expect(t.match("files/a/b/c")).toEqual({ path: ["a", "b", "c"] });
    expect(t.match("files/a")).toEqual({ path: ["a"] });
    expect(t.match("files")).toEqual({ path: [] });
    const withTail = new UriTemplate("files{/path*}/meta");
    expect(withTail.match("files/a/b/meta")).toEqual({ path: ["a", "b"] });
  });

  it("matches other explode forms as lists", () => {
    expect(new UriTemplate("x/{list*}").match("x/red,green")).toEqual({
      list: ["red", "green"],
    });
    expect(new UriTemplate("q{?id*}").match("q?id=1&id=2&other=3")).toEqual({ id: ["1", "2"] });
    expect(new UriTemplate("q{?id*}").match("q?id=1")).toEqual({ id: ["1"] });
    expect(new UriTemplate("m{;v*}").match("m;v=1;v=2")).toEqual({ v: ["1", "2"] });
  });

  it("matches query parameters in any order, each optional, ignoring unknown ones", () => {
    const t = new UriTemplate("search{?q,page}{&lang}");
    expect(t.match("search?q=cats&page=2&lang=en")).toEqual({ q: "cats", page: "2", lang: "en" });
    expect(t.match("search?lang=en&page=2&q=cats")).toEqual({ q: "cats", page: "2", lang: "en" });
    expect(t.match("search?page=3")).toEqual({ page: "3" });
    expect(t.match("search")).toEqual({});
    expect(t.match("search?")).toEqual({});
    expect(t.match("search?utm=x&q=a%26b&%zz=1&flag")).toEqual({ q: "a&b" });
    expect(t.match("search?q=&page")).toEqual({ q: "", page: "" });
    expect(t.match("other?q=1")).toBeNull();
  });

  it("matches continuation queries after a literal query", () => {
    const t = new UriTemplate("items?fixed=yes{&page,size}");
    expect(t.match("items?fixed=yes&size=10&page=2")).toEqual({ page: "2", size: "10" });
    expect(t.match("items?fixed=yes")).toEqual({});
    expect(t.match("items?fixed=no&page=2")).toBeNull();
  });

  it("matches path parameters", () => {
    const t = new UriTemplate("map{;x,y,flag}");
    expect(t.match("map;y=768;x=1024;flag")).toEqual({ x: "1024", y: "768", flag: "" });
    expect(t.match("map")).toEqual({});
  });

  it("matches multi-variable simple expressions", () => {
    expect(new UriTemplate("map?{x,y}").match("map?1024,768")).toEqual({ x: "1024", y: "768" });
    expect(new UriTemplate("{/a,b}").match("/one/two")).toEqual({ a: "one", b: "two" });
  });
});

describe("UriTemplate.expand", () => {
  // Examples from RFC 6570, section 3.2.
  const vars: UriVariables = {
    var: "value",
    hello: "Hello World!",
    half: "50%",
    path: "/foo/bar",
    empty: "",
    list: ["red", "green", "blue"],
    x: "1024",
    y: "768",
    who: "fred",
    base: "http://example.com/home/",
    v: "6",
  };

  it.each([
    ["{var}", "value"],
    ["{hello}", "Hello%20World%21"],
    ["{half}", "50%25"],
    ["O{empty}X", "OX"],
    ["O{undef}X", "OX"],
    ["{x,y}", "1024,768"],
    ["{x,hello,y}", "1024,Hello%20World%21,768"],
    ["?{x,empty}", "?1024,"],
    ["?{x,undef}", "?1024"],
    ["{var:3}", "val"],
    ["{var:30}", "value"],
    ["{list}", "red,green,blue"],
    ["{list*}", "red,green,blue"],
    ["{+var}", "value"],
    ["{+hello}", "Hello%20World!"],
    ["{+half}", "50%25"],
    ["{base}index", "http%3A%2F%2Fexample.com%2Fhome%2Findex"],
    ["{+base}index", "http://example.com/home/index"],
    ["{+path}/here", "/foo/bar/here"],
    ["here?ref={+path}", "here?ref=/foo/bar"],
    ["{+path:6}/here", "/foo/b/here"],
    ["{+list*}", "red,green,blue"],
    ["{#var}", "#value"],
    ["{#hello}", "#Hello%20World!"],
    ["{#half}", "#50%25"],
    ["foo{#empty}", "foo#"],
    ["foo{#undef}", "foo"],
    ["{#path,x}/here", "#/foo/bar,1024/here"],
    ["{#path:2}", "#/f"],
    ["{#list*}", "#red,green,blue"],
    ["X{.var}", "X.value"],
    ["X{.empty}", "X."],
    ["X{.undef}", "X"],
    ["X{.x,y}", "X.1024.768"],
    ["X{.var:3}", "X.val"],
    ["X{.list}", "X.red,green,blue"],
    ["X{.list*}", "X.red.green.blue"],
    ["{/who}", "/fred"],
    ["{/half,who}", "/50%25/fred"],
    ["{/var,x}/here", "/value/1024/here"],
    ["{/var:1,x}", "/v/1024"],
    ["{/list}", "/red,green,blue"],
    ["{/list*}", "/red/green/blue"],
    ["{/list*,path:4}", "/red/green/blue/%2Ffoo"],
    ["{;who}", ";who=fred"],
    ["{;half}", ";half=50%25"],
    ["{;empty}", ";empty"],
    ["{;v,empty,who}", ";v=6;empty;who=fred"],
    ["{;v,bar,who}", ";v=6;who=fred"],
    ["{;x,y,empty}", ";x=1024;y=768;empty"],
    ["{;hello:5}", ";hello=Hello"],
    ["{;list}", ";list=red,green,blue"],
    ["{;list*}", ";list=red;list=green;list=blue"],
    ["{?who}", "?who=fred"],
    ["{?half}", "?half=50%25"],
    ["{?x,y}", "?x=1024&y=768"],
    ["{?x,y,empty}", "?x=1024&y=768&empty="],
    ["{?x,y,undef}", "?x=1024&y=768"],
    ["{?var:3}", "?var=val"],
    ["{?list}", "?list=red,green,blue"],
    ["{?list*}", "?list=red&list=green&list=blue"],
    ["{&who}", "&who=fred"],
    ["?fixed=yes{&x}", "?fixed=yes&x=1024"],
    ["{&var:3}", "&var=val"],
    ["{&list*}", "&list=red&list=green&list=blue"],
  ])("expands %s to %s", (template, expected) => {
    expect(new UriTemplate(template).expand(vars)).toBe(expected);
  });

  it("treats an empty list as undefined", () => {
    expect(new UriTemplate("a{/p*}{?q}").expand({ p: [], q: [] })).toBe("a");
  });

  it("encodes non-ASCII values and literals as UTF-8", () => {
    expect(new UriTemplate("{x}").expand({ x: "café ☃" })).toBe("caf%C3%A9%20%E2%98%83");
    expect(new UriTemplate("{x:2}").expand({ x: "😀😀😀" })).toBe("%F0%9F%98%80%F0%9F%98%80");
    expect(new UriTemplate("a b/{x}").expand({ x: "1" })).toBe("a%20b/1");
  });

  it("does not read inherited properties", () => {
    expect(new UriTemplate("x/{constructor}").expand({})).toBe("x/");
  });

  it("rejects values that are not strings or string arrays", () => {
    const bad = { x: 5 } as unknown as UriVariables;
    expect(() => new UriTemplate("{x}").expand(bad)).toThrow(/must be a string/);
  });
});

describe("expand/match round trips", () => {
  it.each<[string, UriVariables]>([
    ["reports/{report_type}/{date_range}", { report_type: "sales & ops", date_range: "2024/q1" }],
    ["test://template/{id}/data", { id: "a b%c" }],
    ["file:///{+path}{?version}", { path: "docs/read me.md", version: "2" }],
    ["files{/path*}{?q,page}", { path: ["a", "b c", "d/e"], q: "x=y&z", page: "1" }],
    ["search{?tags*}{&sort}", { tags: ["a", "b,c"], sort: "desc" }],
    ["{name}{.ext}", { name: "report", ext: "tar.gz" }],
    ["m{;x,y}", { x: "1", y: "%2e" }],
    ["t/{id}", { id: "%252e%252e" }],
  ])("round-trips %s", (template, variables) => {
    const t = new UriTemplate(template);
    const uri = t.expand(variables);
    expect(t.match(uri)).toEqual(variables);
  });
});
