/**
 * The Standard Schema contract (https://standardschema.dev), the part this package needs:
 * zod 4, valibot, arktype and others implement it, so plugin options accept any of them.
 */

/** A schema implementing Standard Schema v1. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** The outcome of a Standard Schema validation. */
export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly StandardIssue[] };

/** One validation issue. */
export interface StandardIssue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
}

/** The output type of a Standard Schema. */
export type InferOutput<S> = S extends StandardSchemaV1<unknown, infer O> ? O : unknown;

/** The input type of a Standard Schema. */
export type InferInput<S> = S extends StandardSchemaV1<infer I, unknown> ? I : unknown;

/**
 * Whether a value implements Standard Schema v1.
 *
 * @example
 * isStandardSchema(z.object({})); // true
 */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  const std = (value as { "~standard"?: { version?: unknown; validate?: unknown } } | null)?.[
    "~standard"
  ];
  return (
    typeof std === "object" &&
    std !== null &&
    std.version === 1 &&
    typeof std.validate === "function"
  );
}

/**
 * Formats issues as one line naming each bad field (`url: Invalid URL; maxRows: Too big`).
 *
 * @example
 * formatIssues([{ message: "Required", path: ["url"] }]); // "url: Required"
 */
export function formatIssues(issues: readonly StandardIssue[]): string {
  return issues
    .map((issue) => {
      const path = (issue.path ?? [])
        .map((p) => String(typeof p === "object" && p !== null ? p.key : p))
        .join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}
