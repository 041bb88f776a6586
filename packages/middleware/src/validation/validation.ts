import { McpForgeError, type MiddlewareHooks } from "@mcpforge/core";
import { toolNameOf } from "../internal/correlation.js";
import {
  checkOptionsObject,
  checkPositiveInteger,
  checkRecord,
  optionsError,
} from "../internal/options.js";
import { type Node, SizeBound } from "./internal/size-bound.js";

/** Limits on the arguments of a tool call. */
export interface ValidationPolicy {
  /** The longest string value or object key, in UTF-16 code units, at any depth. */
  maxStringLength?: number;
  /** The most items of any array, at any depth. */
  maxArrayLength?: number;
  /** The largest size of the arguments as JSON, in UTF-8 bytes. */
  maxArgumentBytes?: number;
  /** The deepest nesting of objects and arrays (the arguments object itself is depth 1). */
  maxDepth?: number;
  /** Refuse `__proto__`, `constructor` and `prototype` keys at any depth (default true). */
  rejectPrototypeKeys?: boolean;
}

/** Options of {@link validation}. */
export interface ValidationOptions {
  /** Policies by tool name; each is merged over `default`. */
  tools?: Record<string, ValidationPolicy>;
  /** The policy of every tool (default: only `rejectPrototypeKeys`). */
  default?: ValidationPolicy;
}

const POLICY_KEYS = new Set([
  "maxStringLength",
  "maxArrayLength",
  "maxArgumentBytes",
  "maxDepth",
  "rejectPrototypeKeys",
]);
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function checkPolicy(name: string, policy: unknown): void {
  if (policy === undefined) return;
  if (typeof policy !== "object" || policy === null || Array.isArray(policy)) {
    throw optionsError("validation", `${name} must be a policy object`);
  }
  for (const key of Object.keys(policy)) {
    if (!POLICY_KEYS.has(key)) {
      throw optionsError(
        "validation",
        `${name} has an unknown setting ${JSON.stringify(key)} (known: ${[...POLICY_KEYS].join(", ")})`,
      );
    }
  }
  const p = policy as ValidationPolicy;
  checkPositiveInteger("validation", `${name}.maxStringLength`, p.maxStringLength);
  checkPositiveInteger("validation", `${name}.maxArrayLength`, p.maxArrayLength);
  checkPositiveInteger("validation", `${name}.maxArgumentBytes`, p.maxArgumentBytes);
  checkPositiveInteger("validation", `${name}.maxDepth`, p.maxDepth);
  if (p.rejectPrototypeKeys !== undefined && typeof p.rejectPrototypeKeys !== "boolean") {
    throw optionsError("validation", `${name}.rejectPrototypeKeys must be a boolean`);
  }
}

/**
 * Checks `tools/call` arguments against size and shape limits before the tool runs (and
 * before its schema is applied): string and array lengths, total JSON size, nesting depth, and
 * prototype-pollution keys (`__proto__`, `constructor`, `prototype`, own keys at any depth).
 * A violation is `McpForgeError("invalid_params")` naming the argument path; the handler does not run.
 *
 * @example
 * import { validation } from "@mcpforge/middleware/validation";
 * app.use(
 *   validation({
 *     default: { maxStringLength: 10_000, maxArrayLength: 1000, maxArgumentBytes: 100_000 },
 *     tools: { upload: { maxStringLength: 5_000_000, maxArgumentBytes: 6_000_000 } },
 *   }),
 * );
 */
export function validation(options?: ValidationOptions): MiddlewareHooks {
  const opts = checkOptionsObject("validation", options);
  for (const key of Object.keys(opts)) {
    if (key !== "tools" && key !== "default") {
      throw optionsError(
        "validation",
        `unknown option ${JSON.stringify(key)} (known: tools, default)`,
      );
    }
  }
  checkPolicy("default", opts.default);
  checkRecord("validation", "tools", opts.tools, checkPolicy);
  const base: ValidationPolicy = { rejectPrototypeKeys: true, ...opts.default };
  const policies = new Map<string, ValidationPolicy>();
  for (const [tool, policy] of Object.entries(opts.tools ?? {})) {
    policies.set(tool, { ...base, ...policy });
  }

  return {
    name: "validation",
    onCallTool: (ctx, next) => {
      const tool = toolNameOf(ctx);
      const policy = policies.get(tool) ?? base;
      const problem = checkArguments(ctx.params.arguments, policy);
      if (problem) {
        throw new McpForgeError(
          "invalid_params",
          `Invalid arguments for tool "${tool}": ${problem}`,
          { data: { tool } },
        );
      }
      return next();
    },
  };
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function pathOf(node: Node): string {
  const parts: string[] = [];
  for (let n: Node | undefined = node; n && n.key !== undefined; n = n.parent) {
    const key = n.key;
    if (typeof key === "number") parts.push(`[${key}]`);
    else if (IDENTIFIER.test(key)) parts.push(n.parent?.key === undefined ? key : `.${key}`);
    else parts.push(`[${JSON.stringify(key.length > 50 ? `${key.slice(0, 50)}…` : key)}]`);
  }
  const path = parts.reverse().join("");
  return path === "" ? "(arguments)" : path;
}

/**
 * The first violation of `policy` in `args`, described with its path, or undefined.
 *
 * @example
 * checkArguments({ q: "x".repeat(11) }, { maxStringLength: 10 }); // 'q is 11 characters long …'
 */
export function checkArguments(args: unknown, policy: ValidationPolicy): string | undefined {
  if (args === undefined) return undefined;
  const { maxStringLength, maxArrayLength, maxDepth, maxArgumentBytes } = policy;
  const rejectPrototypeKeys = policy.rejectPrototypeKeys !== false;
  // The size limit is checked first, as JSON.stringify measures it — but only when it has to
  // be: the walk sums an upper bound of the JSON's size, and while that stays under the limit
  // (most arguments are far under it) the arguments are never serialized.
  const size = new SizeBound(args, maxArgumentBytes);
  const stack: Node[] = [{ value: args, parent: undefined, key: undefined, depth: 0 }];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    const { value } = node;
    if (size.add(node)) return size.exactProblem();
    if (typeof value === "string") {
      if (maxStringLength !== undefined && value.length > maxStringLength) {
        return size.orElse(
          `${pathOf(node)} is ${value.length} characters long, over the limit of ${maxStringLength}`,
        );
      }
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    const depth = node.depth + 1;
    if (maxDepth !== undefined && depth > maxDepth) {
      return size.orElse(
        `${pathOf(node)} is nested ${depth} levels deep, over the limit of ${maxDepth}`,
      );
    }
    if (Array.isArray(value)) {
      if (maxArrayLength !== undefined && value.length > maxArrayLength) {
        return size.orElse(
          `${pathOf(node)} has ${value.length} items, over the limit of ${maxArrayLength}`,
        );
      }
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push({ value: value[i], parent: node, key: i, depth });
      }
      continue;
    }
    // Own keys only: JSON.parse creates "__proto__" as an own property.
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      const child: Node = {
        value: (value as Record<string, unknown>)[key],
        parent: node,
        key,
        depth,
      };
      if (rejectPrototypeKeys && PROTOTYPE_KEYS.has(key)) {
        return size.orElse(
          `${pathOf(child)} uses the key "${key}", which is not allowed (prototype pollution)`,
        );
      }
      if (maxStringLength !== undefined && key.length > maxStringLength) {
        return size.orElse(
          `a key in ${pathOf(node)} is ${key.length} characters long, over the limit of ${maxStringLength}`,
        );
      }
      stack.push(child);
    }
  }
  return undefined;
}
