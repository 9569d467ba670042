// The prompts panel: a form per prompt (an input per argument) and the messages it gets.

import { failure, type Json } from "./common";
import { h } from "./form";
import { asText } from "./schema";
import type { Rpc } from "./rpc";

function messages(result: Json): HTMLElement[] {
  return ((result.messages ?? []) as Json[]).map((m) =>
    h(
      "div",
      { class: "message" },
      h("strong", {}, `${asText(m.role)}: `),
      h("pre", {}, asText(((m.content ?? {}) as Json).text ?? JSON.stringify(m.content))),
    ),
  );
}

function promptForm(rpc: Rpc, prompt: Json): HTMLElement {
  const args = (prompt.arguments ?? []) as Json[];
  const inputs = args.map((a) => {
    const id = `p-${asText(prompt.name)}-${asText(a.name)}`;
    const help =
      typeof a.description === "string"
        ? [h("p", { class: "help", id: `${id}-help` }, a.description)]
        : [];
    const described: Record<string, string> = help.length
      ? { "aria-describedby": `${id}-help` }
      : {};
    const input = h("input", { id, type: "text", ...described });
    const label = h("label", { for: id }, asText(a.name), a.required ? " *" : "");
    return { name: asText(a.name), input, label, help };
  });
  const out = h("div", { class: "output" });
  const form = h(
    "form",
    { class: "prompt-form", novalidate: "" },
    ...inputs.map((i) => h("div", { class: "field" }, i.label, i.input, ...i.help)),
    h("button", { type: "submit" }, "Get prompt"),
    out,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values: Json = {};
    for (const i of inputs) if (i.input.value) values[i.name] = i.input.value;
    rpc
      .call("prompts/get", { name: asText(prompt.name), arguments: values })
      .then((result) => out.replaceChildren(...messages(result)))
      .catch((error: Error) => out.replaceChildren(failure(error.message)));
  });
  const summary = h(
    "summary",
    {},
    h("code", {}, asText(prompt.name)),
    " ",
    asText(prompt.description ?? ""),
  );
  return h("details", { class: "prompt" }, summary, form);
}

export async function loadPrompts(rpc: Rpc, panel: HTMLElement): Promise<void> {
  try {
    const prompts = await rpc.list("prompts/list", "prompts");
    panel.replaceChildren(h("h2", {}, "Prompts"), ...prompts.map((p) => promptForm(rpc, p)));
  } catch (error) {
    panel.replaceChildren(failure((error as Error).message));
  }
}
