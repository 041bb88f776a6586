import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { DomainError } from "./domain-error.js";
import {
  type AdvancedSearchParams,
  advancedSearch,
  advancedSearchInput,
  searchCategories,
  searchDocuments,
} from "./search.js";

const byId = new Map(searchDocuments.map((d) => [d.id, d]));

function expectInvalid(params: unknown, message: RegExp): void {
  const call = () => advancedSearch(params as AdvancedSearchParams);
  expect(call).toThrow(DomainError);
  expect(call).toThrow(message);
}

describe("the bundled documents", () => {
  it("has about 40 documents with unique ids, real dates and every category", () => {
    expect(searchDocuments).toHaveLength(40);
    expect(new Set(searchDocuments.map((d) => d.id)).size).toBe(searchDocuments.length);
    for (const d of searchDocuments) {
      expect(z.iso.date().safeParse(d.date).success).toBe(true);
      expect(searchCategories).toContain(d.category);
    }
    expect(new Set(searchDocuments.map((d) => d.category))).toEqual(new Set(searchCategories));
    expect(searchDocuments.some((d) => d.archived)).toBe(true);
  });
});

describe("advancedSearch: scoring", () => {
  it("weighs a title match three times a body match", () => {
    const { results } = advancedSearch({ query: "yaml" });
    const score = (id: string) => results.find((r) => r.id === id)?.score;
    expect(score("ref-workflow-yaml")).toBe(3); // title only
    expect(score("release-2-0")).toBe(1); // body only
  });

  it("adds the hits of every term", () => {
    const { results } = advancedSearch({ query: "webhook signature", categories: ["reference"] });
    expect(results.map((r) => r.id)).toEqual(["ref-webhooks"]);
    expect(results[0]?.score).toBe(3 + 1 + 1); // "Webhook" in title and body, "signature" in body
  });

  it("matches case-insensitively and counts a repeated term once", () => {
    const lower = advancedSearch({ query: "webhook" }).results;
    expect(advancedSearch({ query: "WEBHOOK" }).results).toEqual(
      lower.map((r) => expect.objectContaining({ id: r.id, score: r.score })),
    );
    expect(advancedSearch({ query: "Webhook webhook" }).results.map((r) => r.score)).toEqual(
      lower.map((r) => r.score),
    );
  });

  it("matches words that start with a term", () => {
    const ids = advancedSearch({ query: "thumbnail" }).results.map((r) => r.id);
    expect(ids).toEqual(["tutorial-image-thumbnails"]);
  });

  it("sorts by score, then newest first", () => {
    const { results } = advancedSearch({ query: "beacon", max_results: 100 });
    expect(results.length).toBeGreaterThan(5);
    for (let i = 1; i < results.length; i++) {
      const prev = results[i - 1]!;
      const cur = results[i]!;
      expect(prev.score > cur.score || (prev.score === cur.score && prev.date >= cur.date)).toBe(
        true,
      );
    }
  });

  it("returns each hit's fields and a snippet around the first body match", () => {
    const { results } = advancedSearch({ query: "persistent" });
    expect(results).toEqual([
      {
        id: "guide-deploying",
        title: "Deploying Lanternkit to production",
        category: "guides",
        date: "2024-03-02",
        score: 1,
        snippet: expect.stringContaining("persistent storage"),
      },
    ]);
    expect(results[0]!.snippet.length).toBeLessThanOrEqual(162);
  });

  it("returns no results, not an error, when nothing matches", () => {
    const response = advancedSearch({ query: "zebra" });
    expect(response.results).toEqual([]);
    expect(response.metadata.total_matches).toBe(0);
    expect(response.metadata.returned).toBe(0);
  });
});

describe("advancedSearch: filters", () => {
  it("filters by categories", () => {
    const { results, metadata } = advancedSearch({
      query: "workflow",
      categories: ["blog", "tutorials"],
      max_results: 100,
    });
    expect(results.length).toBeGreaterThan(0);
    expect(new Set(results.map((r) => r.category))).toEqual(new Set(["blog", "tutorials"]));
    expect(metadata.filters.categories).toEqual(["blog", "tutorials"]);
  });

  it("treats an empty category list as no filter", () => {
    const all = advancedSearch({ query: "runner", max_results: 100 });
    const empty = advancedSearch({ query: "runner", categories: [], max_results: 100 });
    expect(empty.results).toEqual(all.results);
    expect(empty.metadata.filters.categories).toBeNull();
  });

  it("leaves archived documents out unless include_archived is set", () => {
    expect(advancedSearch({ query: "xml" }).results).toEqual([]);
    const { results, metadata } = advancedSearch({ query: "xml", include_archived: true });
    expect(results.map((r) => r.id)).toContain("ref-xml-format");
    expect(results.some((r) => byId.get(r.id)?.archived)).toBe(true);
    expect(metadata.filters.include_archived).toBe(true);
  });

  it("filters by an inclusive date range", () => {
    const { results, metadata } = advancedSearch({
      query: "reference",
      date_from: "2024-02-01",
      date_to: "2024-02-01",
    });
    expect(results.map((r) => r.id).sort()).toEqual(["ref-cli", "ref-config"]);
    expect(metadata.filters).toMatchObject({ date_from: "2024-02-01", date_to: "2024-02-01" });
  });

  it("accepts an open-ended date range", () => {
    const after = advancedSearch({ query: "release", date_from: "2025-01-01", max_results: 100 });
    expect(after.results.length).toBeGreaterThan(0);
    expect(after.results.every((r) => r.date >= "2025-01-01")).toBe(true);
    const before = advancedSearch({ query: "release", date_to: "2023-12-31", max_results: 100 });
    expect(before.results.length).toBeGreaterThan(0);
    expect(before.results.every((r) => r.date <= "2023-12-31")).toBe(true);
  });

  it("limits results to max_results (default 10) and reports the total", () => {
    const byDefault = advancedSearch({ query: "lanternkit" });
    expect(byDefault.metadata.total_matches).toBeGreaterThan(10);
    expect(byDefault.results).toHaveLength(10);
    expect(byDefault.metadata.returned).toBe(10);
    expect(byDefault.metadata.filters.max_results).toBe(10);
    const one = advancedSearch({ query: "lanternkit", max_results: 1 });
    expect(one.results).toEqual(byDefault.results.slice(0, 1));
    const hundred = advancedSearch({ query: "lanternkit", max_results: 100 });
    expect(hundred.results).toHaveLength(hundred.metadata.total_matches);
  });

  it("reports the trimmed query and a timing", () => {
    const { metadata } = advancedSearch({ query: "  runner  " });
    expect(metadata.query).toBe("runner");
    expect(metadata.took_ms).toBeGreaterThanOrEqual(0);
    expect(metadata.filters).toEqual({
      categories: null,
      include_archived: false,
      date_from: null,
      date_to: null,
      max_results: 10,
    });
  });

  it("respects every filter for any combination of query and filters", () => {
    const vocabulary = [
      "runner",
      "beacon",
      "workflow",
      "webhook",
      "xml",
      "lantern",
      "queue",
      "run",
    ];
    const params = fc.record(
      {
        query: fc
          .array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 3 })
          .map((w) => w.join(" ")),
        categories: fc.uniqueArray(fc.constantFrom(...searchCategories), { maxLength: 5 }),
        max_results: fc.integer({ min: 1, max: 100 }),
        include_archived: fc.boolean(),
        date_from: fc.constantFrom("2022-01-01", "2023-06-30", "2024-02-01"),
        date_to: fc.constantFrom("2024-06-30", "2024-12-31", "2025-12-31"),
      },
      { requiredKeys: ["query"] },
    );
    fc.assert(
      fc.property(params, (p) => {
        const { results, metadata } = advancedSearch(p);
        expect(metadata.returned).toBe(results.length);
        expect(results.length).toBe(Math.min(metadata.total_matches, p.max_results ?? 10));
        for (const r of results) {
          const doc = byId.get(r.id)!;
          expect(r.score).toBeGreaterThan(0);
          if (p.categories?.length) expect(p.categories).toContain(doc.category);
          if (!p.include_archived) expect(doc.archived).toBe(false);
          if (p.date_from) expect(doc.date >= p.date_from).toBe(true);
          if (p.date_to) expect(doc.date <= p.date_to).toBe(true);
        }
      }),
    );
  });
});

describe("advancedSearch: validation", () => {
  it.each([
    [{}, /query: is required/],
    [{ query: "" }, /query: must not be empty/],
    [{ query: "   " }, /query: must not be empty/],
    [{ query: "x".repeat(201) }, /query: must be at most 200 characters/],
    [{ query: "?!" }, /query must contain at least one letter or digit/],
    [{ query: 42 }, /query/],
    [{ query: "a", categories: ["news"] }, /categories\.0/],
    [{ query: "a", categories: [...searchCategories, "blog"] }, /categories: must list at most 5/],
    [{ query: "a", max_results: 0 }, /max_results: must be at least 1/],
    [{ query: "a", max_results: 101 }, /max_results: must be at most 100/],
    [{ query: "a", max_results: 2.5 }, /max_results: must be a whole number/],
    [{ query: "a", include_archived: "yes" }, /include_archived/],
    [{ query: "a", date_from: "2023-02-29" }, /date_from: must be a real calendar date/],
    [{ query: "a", date_to: "2024-13-01" }, /date_to: must be a real calendar date/],
    [{ query: "a", date_from: "2024-1-01" }, /date_from: must be a real calendar date/],
    [
      { query: "a", date_from: "2024-05-02", date_to: "2024-05-01" },
      /date_from \(2024-05-02\) must be on or before date_to \(2024-05-01\)/,
    ],
  ])("rejects %j", (params, message) => {
    expectInvalid(params, message);
  });

  it("accepts the bounds themselves", () => {
    expect(() => advancedSearch({ query: "x".repeat(200), max_results: 100 })).not.toThrow();
    expect(() =>
      advancedSearch({ query: "a", categories: [...searchCategories], max_results: 1 }),
    ).not.toThrow();
    expect(() => advancedSearch({ query: "a", date_from: "2024-02-29" })).not.toThrow();
  });

  it("exposes a schema with defaults and descriptions", () => {
    expect(advancedSearchInput.parse({ query: " a " })).toEqual({
      query: "a",
      max_results: 10,
      include_archived: false,
    });
    const json = z.toJSONSchema(advancedSearchInput, { io: "input" }) as {
      properties: Record<string, { description?: string }>;
      required: string[];
    };
    expect(json.required).toEqual(["query"]);
    for (const field of Object.values(json.properties)) {
      expect(field.description).toEqual(expect.any(String));
    }
  });
});
