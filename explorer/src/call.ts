// A tool's panel: its description and form, the call (with the server's field errors shown
// next to their inputs), the result, and "copy as curl".

import { badges, failure, type Json, type Tool } from "./common";
import { copy, curlText } from "./copy";
import { type Control, formControls, h, readForm } from "./form";
import { LiveView, question } from "./live";
import type { Relations } from "./relations";
import { rawJson, readable, type ToolResultLike } from "./render";
import { type Config, paramHeaders, type Rpc, RpcError } from "./rpc";
import { type Field, fieldErrors, fieldsOf, InputError, rawOf, toArguments } from "./schema";

/** Told of every call: the tool, its arguments, whether it succeeded, and a summary. */
export type Recorder = (tool: string, args: Json, ok: boolean, summary: string) => void;

export class ToolPanel {
  readonly element = h("section", { class: "tool-detail", "aria-label": "Tool" });
  private current: { tool: Tool; fields: Field[]; controls: Control[] } | null = null;
  private calls = 0;
  /** Where relation fields get their choices (set once the server's capabilities are known). */
  relations: Relations | null = null;

  constructor(
    private rpc: Rpc,
    private config: Config,
    private record: Recorder,
  ) {}

  /** The panel before any tool is chosen. */
  showHint(): void {
    this.element.replaceChildren(
      h("p", { class: "hint" }, "Choose a tool to see its description and call it."),
    );
  }

  /** Show the tool's form, filled with these arguments if given. */
  open(tool: Tool, values?: Json): void {
    const fields = fieldsOf(tool.inputSchema);
    const relations = this.relations;
    const controls = formControls(fields, `f-${tool.name}`, {
      completer: (field) => relations?.completer(field) ?? null,
    });
    this.current = { tool, fields, controls };
    if (values) fields.forEach((f, i) => controls[i]?.write(rawOf(f, values[f.name])));
    const general = h("div", { class: "form-error", role: "alert", hidden: "" });
    const submit = h("button", { type: "submit", class: "primary" }, "Call tool");
    const curl = h("button", { type: "button" }, "Copy as curl");
    const copied = h("pre", { class: "copied", hidden: "" });
    const output = h(
      "div",
      { class: "output", "aria-live": "polite" },
      h("p", { class: "hint" }, "The result of a call appears here."),
    );
    const inputs = fields.length
      ? controls.map((c) => c.element)
      : [h("p", {}, "This tool takes no arguments.")];
    const form = h(
      "form",
      { class: "tool-form", novalidate: "", "aria-label": `Arguments of ${tool.name}` },
      ...inputs,
      general,
      h("div", { class: "actions" }, submit, curl),
      copied,
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.call(general, output, submit);
    });
    curl.addEventListener("click", () => {
      const args = this.argumentsOrShow(general);
      if (args) copy(curlText(this.config, this.rpc, tool, args), copied);
    });
    // Side by side on wide screens: the form (with the tool's title) and the result.
    this.element.replaceChildren(
      h(
        "div",
        { class: "tool-main" },
        h("h2", { id: "tool-title" }, tool.title ?? tool.name, " ", ...badges(tool)),
        h("p", { class: "tool-name" }, h("code", {}, tool.name)),
        ...(tool.description ? [h("p", { class: "description" }, tool.description)] : []),
        form,
      ),
      output,
    );
    (controls[0] ?? { focus: () => submit.focus() }).focus();
  }

  /** The form's arguments, or null with the input error shown at its field. */
  private argumentsOrShow(general: HTMLElement): Json | null {
    if (!this.current) return null;
    const { fields, controls } = this.current;
    controls.forEach((c) => c.clearErrors());
    general.hidden = true;
    try {
      return toArguments(fields, readForm(fields, controls));
    } catch (error) {
      if (error instanceof InputError) {
        const errors = new Map([[error.path.join("."), [error.message]]]);
        controls.forEach((c) => c.showErrors(errors));
        return null;
      }
      throw error;
    }
  }

  private async call(
    general: HTMLElement,
    output: HTMLElement,
    submit: HTMLButtonElement,
  ): Promise<void> {
    if (!this.current) return;
    const { tool, controls } = this.current;
    const args = this.argumentsOrShow(general);
    if (!args) return;
    submit.disabled = true;
    const live = new LiveView();
    output.replaceChildren(h("p", { class: "status" }, "Calling…"), live.element);
    const ask = async (method: string, params: Json): Promise<Json> => {
      if (method !== "elicitation/create")
        throw new RpcError(-32601, `The explorer does not answer ${method}.`);
      const asked = question(params);
      live.element.append(asked.element);
      asked.element.querySelector<HTMLElement>("input, select, textarea, button")?.focus();
      return await asked.answer;
    };
    try {
      // A progress token asks for an SSE answer: progress, log messages and questions
      // arrive while the tool runs. Arguments the tool annotates with x-mcp-header also
      // travel as Mcp-Param-* headers.
      this.calls += 1;
      const result = (await this.rpc.call(
        "tools/call",
        { name: tool.name, arguments: args, _meta: { progressToken: `explorer-${this.calls}` } },
        paramHeaders(tool.inputSchema, args),
        { notification: (method, params) => live.notify(method, params), request: ask },
      )) as unknown as ToolResultLike;
      const ok = !result.isError;
      const status = h(
        "p",
        { class: `status ${ok ? "ok" : "error"}`, role: "status" },
        ok ? "Success" : "The tool answered with an error",
      );
      const shown = live.element.childElementCount ? [live.element] : [];
      output.replaceChildren(status, ...shown, readable(result), rawJson(result));
      if (!ok) this.showErrors(result, controls, general);
      this.record(tool.name, args, ok, ok ? "ok" : (result.content?.[0]?.text ?? "error"));
    } catch (error) {
      const message =
        error instanceof RpcError ? `${error.message} (JSON-RPC ${error.code})` : String(error);
      output.replaceChildren(failure(message));
      this.record(tool.name, args, false, message);
    } finally {
      submit.disabled = false;
    }
  }

  /** The server's messages: each next to its field, the rest (and those of fields the form
   * has no input for) above the buttons; the focus goes to the first invalid input. */
  private showErrors(result: ToolResultLike, controls: Control[], general: HTMLElement): void {
    const { fields, general: messages } = fieldErrors(result);
    const shown = controls.reduce((n, c) => n + c.showErrors(fields), 0);
    const unplaced = [...fields.entries()]
      .filter(([path]) => !shown || !this.hasControl(path))
      .map(([path, m]) => `${path}: ${m.join(" ")}`);
    const text = [...messages, ...unplaced].join(" ");
    if (text) {
      general.textContent = text;
      general.hidden = false;
    }
    const invalid = this.element.querySelector<HTMLElement>("[aria-invalid=true]");
    invalid?.focus();
  }

  private hasControl(path: string): boolean {
    return Boolean(this.element.querySelector(`[name="${CSS.escape(path)}"]`));
  }
}
