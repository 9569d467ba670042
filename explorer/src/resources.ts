// The resources panel: the resources (a button reads each) and the resource templates (an
// input for the template's variable, then read).

import { failure, type Json } from "./common";
import { h } from "./form";
import { asText } from "./schema";
import type { Rpc } from "./rpc";

export async function loadResources(rpc: Rpc, panel: HTMLElement): Promise<void> {
  const out = h("div", { class: "output" });
  try {
    const resources = await rpc.list("resources/list", "resources");
    const templates = await rpc.list("resources/templates/list", "resourceTemplates");
    const read = async (uri: string): Promise<void> => {
      try {
        const result = await rpc.call("resources/read", { uri });
        const contents = (result.contents ?? []) as Json[];
        out.replaceChildren(
          h("h3", {}, uri),
          ...contents.map((c) => h("pre", {}, typeof c.text === "string" ? c.text : "(binary)")),
        );
      } catch (error) {
        out.replaceChildren(failure((error as Error).message));
      }
    };
    const list = h("ul", { class: "resources" });
    for (const r of resources) {
      const button = h("button", { type: "button" }, asText(r.uri));
      button.addEventListener("click", () => void read(asText(r.uri)));
      list.append(h("li", {}, button, " ", asText(r.description ?? "")));
    }
    for (const t of templates) {
      const template = asText(t.uriTemplate);
      const variable = /\{([^}]+)\}/.exec(template)?.[1] ?? "id";
      const id = `tpl-${asText(t.name)}`;
      const input = h("input", { id, type: "text", size: "8" });
      const button = h("button", { type: "button" }, "Read");
      button.addEventListener(
        "click",
        () => void read(template.replace(`{${variable}}`, encodeURIComponent(input.value))),
      );
      const label = h("label", { for: id }, variable);
      list.append(h("li", {}, h("code", {}, template), " ", label, " ", input, " ", button));
    }
    panel.replaceChildren(h("h2", {}, "Resources"), list, out);
  } catch (error) {
    panel.replaceChildren(failure((error as Error).message));
  }
}
