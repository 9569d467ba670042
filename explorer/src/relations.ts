// Choices for relation fields: the server's completion of its resource templates
// (drf://books/{pk}) offers the ids of the rows the caller may read, which is what a foreign
// key of a form takes.

import type { Json } from "./common";
import type { Completer } from "./form";
import type { Rpc } from "./rpc";
import type { Field } from "./schema";

interface Template {
  uri: string;
  variable: string;
}

/** The template of the resource a reader tool reads: the one whose URI is
 * drf://<resource>/{<lookup>}, <resource> being the tool's group (or its name without
 * "_retrieve"). */
export function templateFor(
  reader: string,
  templates: { uriTemplate?: unknown }[],
  toolGroups?: Record<string, string>,
): Template | null {
  const group =
    toolGroups && Object.prototype.hasOwnProperty.call(toolGroups, reader)
      ? toolGroups[reader]
      : undefined;
  const resource = typeof group === "string" ? group : reader.replace(/_retrieve$/, "");
  for (const template of templates) {
    if (typeof template.uriTemplate !== "string") continue;
    const found = /^drf:\/\/([^/{}]+)\/\{(\w+)\}$/.exec(template.uriTemplate);
    if (found?.[1] === resource) return { uri: template.uriTemplate, variable: found[2] as string };
  }
  return null;
}

export class Relations {
  private templates: Promise<Json[]> | null = null;

  /** enabled: the server offers completions and resources. */
  constructor(
    private rpc: Rpc,
    private enabled: boolean,
    private toolGroups?: Record<string, string>,
  ) {}

  /** The completer of a relation field; null when the server completes nothing. */
  completer(field: Field): Completer | null {
    const reader = field.relation;
    if (!this.enabled || !reader) return null;
    return async (typed) => {
      this.templates ??= this.rpc.list("resources/templates/list", "resourceTemplates");
      const template = templateFor(reader, await this.templates, this.toolGroups);
      if (!template) return [];
      const answer = await this.rpc.call("completion/complete", {
        ref: { type: "ref/resource", uri: template.uri },
        argument: { name: template.variable, value: typed },
      });
      const values = (answer.completion as Json | undefined)?.values;
      return Array.isArray(values) ? values.filter((v): v is string => typeof v === "string") : [];
    };
  }
}
