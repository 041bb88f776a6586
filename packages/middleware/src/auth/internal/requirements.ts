import { type SetupApi, UriTemplate } from "@mcpforge/core/authoring";

/** What auth knows of one registered component. */
interface Known {
  readonly name: string;
  readonly tags: ReadonlySet<string>;
}

interface KnownTemplate extends Known {
  readonly template: UriTemplate | undefined;
}

/** The scopes one component needs. */
export interface Need {
  /** Every scope the caller must hold. */
  readonly scopes: readonly string[];
  /** Tag rules exist but this component's tags are unknown: refuse (fail closed). */
  readonly unknownTags: boolean;
}

/** What `ComponentIndex` reads from the app (core's `components()` and `onListChanged()`). */
type ComponentSource = Pick<SetupApi, "components" | "onListChanged">;

/**
 * The names and tags of an app's components, read from core (`app.components()`) and rebuilt
 * whenever a list changes, so components registered before or after `auth()` are all known.
 *
 * @example
 * const index = new ComponentIndex();
 * index.attach(app);
 */
export class ComponentIndex {
  #app: ComponentSource | undefined;
  #cache:
    | {
        tools: Map<string, Known>;
        prompts: Map<string, Known>;
        resources: Map<string, Known>;
        templates: Map<string, KnownTemplate>;
      }
    | undefined;

  /** Reads components from this app from now on. */
  attach(app: ComponentSource): void {
    this.#app = app;
    app.onListChanged(() => {
      this.#cache = undefined;
    });
  }

  #load() {
    if (this.#cache) return this.#cache;
    const app = this.#app;
    const known = (type: "tool" | "prompt" | "resource") =>
      new Map<string, Known>(
        (app?.components(type) ?? []).map((c) => [c.key, { name: c.info.name, tags: c.info.tags }]),
      );
    const templates = new Map<string, KnownTemplate>();
    for (const c of app?.components("template") ?? []) {
      let template: UriTemplate | undefined;
      try {
        template = new UriTemplate(c.key);
      } catch {
        template = undefined;
      }
      templates.set(c.key, { name: c.info.name, tags: c.info.tags, template });
    }
    this.#cache = {
      tools: known("tool"),
      prompts: known("prompt"),
      resources: known("resource"),
      templates,
    };
    return this.#cache;
  }

  /** Tools by name. */
  get tools(): ReadonlyMap<string, Known> {
    return this.#load().tools;
  }

  /** Prompts by name. */
  get prompts(): ReadonlyMap<string, Known> {
    return this.#load().prompts;
  }

  /** Static resources by URI. */
  get resources(): ReadonlyMap<string, Known> {
    return this.#load().resources;
  }

  /** Resource templates by URI template. */
  get templates(): ReadonlyMap<string, KnownTemplate> {
    return this.#load().templates;
  }

  /** The URI templates registered under a component name. */
  templateKeysNamed(name: string): string[] {
    const keys: string[] = [];
    for (const [key, t] of this.templates) if (t.name === name) keys.push(key);
    return keys;
  }
}

/** The validated per-component rules. */
export interface Rules {
  tools: ReadonlyMap<string, readonly string[]>;
  tags: ReadonlyMap<string, readonly string[]>;
  resources: ReadonlyMap<string, readonly string[]>;
  prompts: ReadonlyMap<string, readonly string[]>;
}

/**
 * Works out which scopes a component needs: the union of the rules for its names (a tool's or
 * prompt's name; a resource's name and URI or URI template) and for each of its tags.
 *
 * @example
 * const rules = { tools: new Map([["delete_user", ["users:write"]]]), tags: new Map([["admin", ["admin"]]]), resources: new Map(), prompts: new Map() };
 * const requirements = new Requirements(rules, new ComponentIndex());
 * requirements.tool("delete_user", new Set(["admin"])); // { scopes: ["users:write", "admin"], unknownTags: false }
 */
export class Requirements {
  readonly #rules: Rules;
  readonly index: ComponentIndex;

  constructor(rules: Rules, index: ComponentIndex) {
    this.#rules = rules;
    this.index = index;
  }

  /** Whether any per-component rule exists. */
  get any(): boolean {
    const r = this.#rules;
    return r.tools.size + r.tags.size + r.resources.size + r.prompts.size > 0;
  }

  /** Every scope named by a rule (for `scopes_supported`). */
  allScopes(): string[] {
    const out = new Set<string>();
    for (const table of Object.values(this.#rules)) {
      for (const scopes of (table as ReadonlyMap<string, readonly string[]>).values()) {
        for (const s of scopes) out.add(s);
      }
    }
    return [...out];
  }

  #need(
    table: ReadonlyMap<string, readonly string[]>,
    names: readonly string[],
    tags: ReadonlySet<string> | undefined,
  ): Need {
    const scopes = new Set<string>();
    for (const name of names) for (const s of table.get(name) ?? []) scopes.add(s);
    if (tags)
      for (const tag of tags) for (const s of this.#rules.tags.get(tag) ?? []) scopes.add(s);
    return { scopes: [...scopes], unknownTags: tags === undefined && this.#rules.tags.size > 0 };
  }

  /** A tool's needs; `tags` default to what the index recorded (unknown when absent). */
  tool(name: string, tags?: ReadonlySet<string>): Need {
    return this.#need(this.#rules.tools, [name], tags ?? this.index.tools.get(name)?.tags);
  }

  /** A prompt's needs. */
  prompt(name: string, tags?: ReadonlySet<string>): Need {
    return this.#need(this.#rules.prompts, [name], tags ?? this.index.prompts.get(name)?.tags);
  }

  /** A static resource's needs, by URI (and name). */
  resource(uri: string, name: string | undefined, tags?: ReadonlySet<string>): Need {
    const known = this.index.resources.get(uri);
    const names = [uri, name ?? known?.name ?? uri];
    return this.#need(this.#rules.resources, names, tags ?? known?.tags);
  }

  /** A resource template's needs, by URI template (and name). */
  template(uriTemplate: string, name: string | undefined, tags?: ReadonlySet<string>): Need {
    const known = this.index.templates.get(uriTemplate);
    const names = [uriTemplate, name ?? known?.name ?? uriTemplate];
    return this.#need(this.#rules.resources, names, tags ?? known?.tags);
  }

  /** The needs of a template read: by its name and every template registered under it. */
  templateNamed(name: string, tags: ReadonlySet<string>): Need {
    const names = [name, ...this.index.templateKeysNamed(name)];
    return this.#need(this.#rules.resources, names, tags);
  }

  /**
   * The needs of a concrete URI (for `resources/subscribe`): its static resource, else every
   * recorded template it matches.
   */
  uri(uri: string): Need {
    if (this.index.resources.has(uri)) return this.resource(uri, undefined);
    const needs: Need[] = [];
    for (const [key, t] of this.index.templates) {
      if (t.template?.match(uri)) needs.push(this.template(key, t.name, t.tags));
    }
    if (needs.length === 0) return this.resource(uri, undefined);
    return {
      scopes: [...new Set(needs.flatMap((n) => n.scopes))],
      unknownTags: needs.some((n) => n.unknownTags),
    };
  }
}

/**
 * The scopes of `need` the caller lacks; `undefined` when it cannot be told (unknown tags).
 *
 * @example
 * missingScopes({ scopes: ["a", "b"], unknownTags: false }, new Set(["a"])); // ["b"]
 */
export function missingScopes(need: Need, held: ReadonlySet<string>): string[] | undefined {
  if (need.unknownTags) return undefined;
  return need.scopes.filter((s) => !held.has(s));
}

/**
 * Scopes as a quoted, comma-separated list for error messages.
 *
 * @example
 * scopeList(["a", "b"]); // '"a", "b"'
 */
export function scopeList(scopes: readonly string[]): string {
  return scopes.map((s) => `"${s}"`).join(", ");
}
