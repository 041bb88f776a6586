import type { CheckRule } from "../types.js";

/** Resources and resource templates without a description. */
export const resourceDescription: CheckRule = {
  id: "resource-description",
  severity: "warning",
  summary: "every resource and resource template has a description",
  *check({ resources, templates }) {
    for (const r of resources) {
      if (r.description?.trim()) continue;
      yield {
        component: { type: "resource", name: r.uri },
        message: `Resource ${r.uri} has no description.`,
        fix: "Add `description` to the resource's options: what the content is.",
      };
    }
    for (const t of templates) {
      if (t.description?.trim()) continue;
      yield {
        component: { type: "resource-template", name: t.uriTemplate },
        message: `Resource template ${t.uriTemplate} has no description.`,
        fix: "Add `description` to the template's options: what it returns and what the variables mean.",
      };
    }
  },
};
