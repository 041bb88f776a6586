import * as z from "zod";
import { DomainError } from "./domain-error.js";
import { parseInput } from "./parse-input.js";
import {
  type SearchCategory,
  type SearchDocument,
  searchCategories,
  searchDocuments,
} from "./search-documents.js";

export { type SearchCategory, type SearchDocument, searchCategories, searchDocuments };

/** How much more a query term found in a title counts than one found in a body. */
export const TITLE_WEIGHT = 3;

const SNIPPET_LENGTH = 160;
const SNIPPET_LEAD = 40;

const isoDate = z.iso.date("must be a real calendar date in YYYY-MM-DD format");

/** Input of {@link advancedSearch}. */
export const advancedSearchInput = z.object({
  query: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(200, "must be at most 200 characters")
    .describe("Words to search for (case-insensitive; a word matches words that start with it)"),
  categories: z
    .array(z.enum(searchCategories))
    .max(5, "must list at most 5 categories")
    .optional()
    .describe("Only return documents in these categories (omit or leave empty for all)"),
  max_results: z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(100, "must be at most 100")
    .default(10)
    .describe("Maximum number of results to return, 1 to 100"),
  include_archived: z.boolean().default(false).describe("Also search archived documents"),
  date_from: isoDate
    .optional()
    .describe("Only documents published on or after this date (YYYY-MM-DD)"),
  date_to: isoDate
    .optional()
    .describe("Only documents published on or before this date (YYYY-MM-DD)"),
});

/** What the caller passes to {@link advancedSearch}. */
export type AdvancedSearchParams = z.input<typeof advancedSearchInput>;

/** One ranked hit of {@link advancedSearch}. */
export interface SearchResult {
  id: string;
  title: string;
  category: SearchCategory;
  date: string;
  score: number;
  snippet: string;
}

/** The answer of {@link advancedSearch}: the ranked hits and how they were found. */
export interface AdvancedSearchResponse {
  results: SearchResult[];
  metadata: {
    query: string;
    total_matches: number;
    returned: number;
    took_ms: number;
    filters: {
      categories: SearchCategory[] | null;
      include_archived: boolean;
      date_from: string | null;
      date_to: string | null;
      max_results: number;
    };
  };
}

const WORD = /[\p{L}\p{N}]+/gu;

function words(text: string): string[] {
  return (text.match(WORD) ?? []).map((word) => word.toLowerCase());
}

function countHits(documentWords: readonly string[], term: string): number {
  let hits = 0;
  for (const word of documentWords) if (word.startsWith(term)) hits += 1;
  return hits;
}

interface IndexedDocument {
  document: SearchDocument;
  titleWords: string[];
  bodyWords: string[];
}

let index: IndexedDocument[] | undefined;

function indexedDocuments(): IndexedDocument[] {
  index ??= searchDocuments.map((document) => ({
    document,
    titleWords: words(document.title),
    bodyWords: words(document.body),
  }));
  return index;
}

/** A window of the body around the first word that matches a term, marked with ellipses. */
function makeSnippet(body: string, terms: readonly string[]): string {
  let firstHit = 0;
  for (const match of body.matchAll(WORD)) {
    const word = match[0].toLowerCase();
    if (terms.some((term) => word.startsWith(term))) {
      firstHit = match.index;
      break;
    }
  }
  if (body.length <= SNIPPET_LENGTH) return body;
  let start = Math.max(0, Math.min(firstHit - SNIPPET_LEAD, body.length - SNIPPET_LENGTH));
  // Start on a word boundary when the window does not begin at the start of the body.
  if (start > 0) {
    const space = body.indexOf(" ", start);
    if (space !== -1 && space < firstHit) start = space + 1;
  }
  let end = Math.min(body.length, start + SNIPPET_LENGTH);
  if (end < body.length) {
    const space = body.lastIndexOf(" ", end);
    if (space > start) end = space;
  }
  return `${start > 0 ? "…" : ""}${body.slice(start, end)}${end < body.length ? "…" : ""}`;
}

/**
 * Searches the bundled documents: case-insensitive term matching where a title hit weighs
 * 3× a body hit, with category, archive and date filters; sorted by score, then newest first.
 *
 * @example
 * const { results } = advancedSearch({ query: "webhook signature", categories: ["reference"] });
 * results[0]?.id; // "ref-webhooks"
 */
export function advancedSearch(params: AdvancedSearchParams): AdvancedSearchResponse {
  const started = performance.now();
  const input = parseInput(advancedSearchInput, params);
  const { query, max_results, include_archived } = input;
  const dateFrom = input.date_from ?? null;
  const dateTo = input.date_to ?? null;
  if (dateFrom !== null && dateTo !== null && dateFrom > dateTo) {
    throw new DomainError(
      `Invalid input: date_from (${dateFrom}) must be on or before date_to (${dateTo})`,
    );
  }
  const terms = [...new Set(words(query))];
  if (terms.length === 0) {
    throw new DomainError("Invalid input: query must contain at least one letter or digit");
  }
  const categories =
    input.categories !== undefined && input.categories.length > 0
      ? [...new Set(input.categories)]
      : null;

  const matches: SearchResult[] = [];
  for (const { document, titleWords, bodyWords } of indexedDocuments()) {
    if (document.archived && !include_archived) continue;
    if (categories !== null && !categories.includes(document.category)) continue;
    if (dateFrom !== null && document.date < dateFrom) continue;
    if (dateTo !== null && document.date > dateTo) continue;
    let score = 0;
    for (const term of terms) {
      score += TITLE_WEIGHT * countHits(titleWords, term) + countHits(bodyWords, term);
    }
    if (score === 0) continue;
    matches.push({
      id: document.id,
      title: document.title,
      category: document.category,
      date: document.date,
      score,
      snippet: makeSnippet(document.body, terms),
    });
  }
  matches.sort(
    (a, b) =>
      b.score - a.score ||
      (a.date < b.date ? 1 : a.date > b.date ? -1 : 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const results = matches.slice(0, max_results);
  return {
    results,
    metadata: {
      query,
      total_matches: matches.length,
      returned: results.length,
      took_ms: Math.round((performance.now() - started) * 1000) / 1000,
      filters: {
        categories,
        include_archived,
        date_from: dateFrom,
        date_to: dateTo,
        max_results,
      },
    },
  };
}
