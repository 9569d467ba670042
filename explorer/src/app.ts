// The explorer page: server info, tools grouped by resource with a form each, results,
// call history, resources and prompts, and "copy as curl" / "copy client config".

import { type Control, formControls, h, readForm } from "./form";
import { rawJson, readable, type ToolResultLike } from "./render";
import { clientConfig, type Config, curlFor, Rpc, RpcError } from "./rpc";
import { type Field, fieldErrors, fieldsOf, InputError, type JSONValue, rawOf, type Schema, toArguments } from "./schema";

type Json = { [key: string]: JSONValue };

interface Tool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Schema;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean };
}

interface HistoryEntry {
  at: Date;
  tool: string;
  arguments: Json;
  ok: boolean;
  summary: string;
}

const ACTIONS = ["partial_update", "list", "retrieve", "create", "update", "destroy"];

/** The resource a tool belongs to: its name without a CRUD action suffix, or its first
 * word (custom actions and plain function tools group on their own). */
export function resourceOf(name: string): string {
  for (const action of ACTIONS) if (name.endsWith(`_${action}`)) return name.slice(0, -action.length - 1);
  const index = name.indexOf("_");
  return index > 0 ? name.slice(0, index) : name;
}

function failure(message: string): HTMLElement {
  return h("p", { class: "status error", role: "alert" }, message);
}

function badge(text: string, kind: string): HTMLElement {
  return h("span", { class: `badge ${kind}` }, text);
}

function badges(tool: Tool): HTMLElement[] {
  const a = tool.annotations ?? {};
  const out: HTMLElement[] = [];
  if (a.readOnlyHint) out.push(badge("read-only", "read-only"));
  else if (a.destructiveHint) out.push(badge("destructive", "destructive"));
  else out.push(badge("writes", "writes"));
  if (a.idempotentHint && !a.readOnlyHint) out.push(badge("idempotent", "idempotent"));
  return out;
}

export class Explorer {
  private rpc: Rpc;
  private tools: Tool[] = [];
  private history: HistoryEntry[] = [];
  private panels = new Map<string, HTMLElement>();
  private tabs = new Map<string, HTMLButtonElement>();
  private current: { tool: Tool; fields: Field[]; controls: Control[] } | null = null;
  private detail = h("section", { class: "tool-detail", "aria-live": "polite" });
  private historyBody = h("tbody");
  private loaded = new Set<string>();

  constructor(
    private root: HTMLElement,
    private config: Config,
  ) {
    this.rpc = new Rpc(config);
  }

  private endpointUrl(): string {
    return new URL(this.config.endpoint, window.location.href).href;
  }

  async start(): Promise<void> {
    const status = h("p", { class: "status" }, "Connecting…");
    this.root.replaceChildren(status);
    let init: Json;
    try {
      init = await this.rpc.initialize();
      this.tools = (await this.rpc.list("tools/list", "tools")) as unknown as Tool[];
    } catch (error) {
      status.textContent = `Could not reach the MCP endpoint: ${(error as Error).message}`;
      status.setAttribute("role", "alert");
      return;
    }
    const info = (init.serverInfo ?? {}) as Json;
    const capabilities = (init.capabilities ?? {}) as Json;
    this.root.replaceChildren(this.header(info), this.tabList(capabilities), ...this.panels.values());
    this.select("tools");
  }

  private header(info: Json): HTMLElement {
    const who = this.config.user
      ? [h("span", {}, "Logged in as ", h("strong", {}, this.config.user))]
      : [h("span", {}, "Not logged in"), ...(this.config.loginUrl ? [" · ", h("a", { href: this.config.loginUrl }, "Log in")] : [])];
    const copied = h("pre", { class: "copied", hidden: "" });
    const copyConfig = h("button", { type: "button" }, "Copy client config");
    copyConfig.addEventListener("click", () => this.copy(clientConfig(String(info.name ?? this.config.serverName), this.endpointUrl()), copied));
    return h(
      "header",
      { class: "server" },
      h("div", {}, h("h1", {}, String(info.title ?? info.name ?? "MCP server")), h("p", { class: "meta" }, `${String(info.name ?? "")} ${String(info.version ?? "")} · protocol `, h("code", { class: "protocol-version" }, this.rpc.negotiated ?? ""), ` · ${this.tools.length} tools`)),
      h("div", { class: "who" }, ...who, " ", copyConfig),
      copied,
    );
  }

  private tabList(capabilities: Json): HTMLElement {
    const list = h("div", { role: "tablist", "aria-label": "Explorer sections" });
    const names: [string, string, () => HTMLElement][] = [["tools", "Tools", () => this.toolsPanel()]];
    if (capabilities.resources) names.push(["resources", "Resources", () => h("div")]);
    if (capabilities.prompts) names.push(["prompts", "Prompts", () => h("div")]);
    names.push(["history", "History", () => this.historyPanel()]);
    for (const [key, label, build] of names) {
      const tab = h("button", { type: "button", role: "tab", id: `tab-${key}`, "aria-controls": `panel-${key}`, "aria-selected": "false", tabindex: "-1" }, label);
      tab.addEventListener("click", () => this.select(key));
      tab.addEventListener("keydown", (event) => {
        const keys = [...this.tabs.keys()];
        const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
        if (!step) return;
        event.preventDefault();
        const next = keys[(keys.indexOf(key) + step + keys.length) % keys.length] as string;
        this.select(next);
        this.tabs.get(next)?.focus();
      });
      this.tabs.set(key, tab);
      list.append(tab);
      const panel = h("section", { role: "tabpanel", id: `panel-${key}`, "aria-labelledby": `tab-${key}`, hidden: "" }, build());
      this.panels.set(key, panel);
    }
    return list;
  }

  private select(key: string): void {
    for (const [name, tab] of this.tabs) {
      const on = name === key;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      const panel = this.panels.get(name);
      if (panel) panel.hidden = !on;
    }
    if (!this.loaded.has(key)) {
      this.loaded.add(key);
      if (key === "resources") void this.loadResources();
      if (key === "prompts") void this.loadPrompts();
    }
  }

  // tools ------------------------------------------------------------------------------

  private toolsPanel(): HTMLElement {
    const groups = new Map<string, Tool[]>();
    for (const tool of this.tools) {
      const key = resourceOf(tool.name);
      groups.set(key, [...(groups.get(key) ?? []), tool]);
    }
    const nav = h("nav", { class: "tool-list", "aria-label": "Tools by resource" });
    for (const [resource, tools] of groups) {
      const items = tools.map((tool) => {
        const button = h("button", { type: "button", class: "tool", "data-tool": tool.name }, h("span", { class: "name" }, tool.name), ...badges(tool));
        button.addEventListener("click", () => this.open(tool));
        return h("li", {}, button);
      });
      nav.append(h("section", { class: "group" }, h("h2", {}, resource), h("ul", {}, ...items)));
    }
    this.detail.replaceChildren(h("p", { class: "hint" }, "Choose a tool to see its description and call it."));
    return h("div", { class: "tools-layout" }, nav, this.detail);
  }

  private open(tool: Tool, values?: Json): void {
    const fields = fieldsOf(tool.inputSchema);
    const controls = formControls(fields, `f-${tool.name}`);
    this.current = { tool, fields, controls };
    if (values) fields.forEach((f, i) => controls[i]?.write(rawOf(f, values[f.name])));
    const general = h("div", { class: "form-error", role: "alert", hidden: "" });
    const submit = h("button", { type: "submit", class: "primary" }, "Call tool");
    const curl = h("button", { type: "button" }, "Copy as curl");
    const copied = h("pre", { class: "copied", hidden: "" });
    const output = h("div", { class: "output" });
    const inputs = fields.length ? controls.map((c) => c.element) : [h("p", {}, "This tool takes no arguments.")];
    const form = h("form", { class: "tool-form", novalidate: "", "aria-label": `Arguments of ${tool.name}` }, ...inputs, general, h("div", { class: "actions" }, submit, curl), copied);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.callTool(general, output, submit);
    });
    curl.addEventListener("click", () => {
      const args = this.argumentsOrShow(general);
      if (args) this.copy(curlFor(this.endpointUrl(), this.rpc.negotiated ?? "", this.rpc.message("tools/call", { name: tool.name, arguments: args })), copied);
    });
    this.detail.replaceChildren(
      h("h2", { id: "tool-title" }, tool.title ?? tool.name, " ", ...badges(tool)),
      h("p", { class: "tool-name" }, h("code", {}, tool.name)),
      ...(tool.description ? [h("p", { class: "description" }, tool.description)] : []),
      form,
      output,
    );
    (controls[0] ?? { focus: () => submit.focus() }).focus();
  }

  private argumentsOrShow(general: HTMLElement): Json | null {
    if (!this.current) return null;
    const { fields, controls } = this.current;
    controls.forEach((c) => c.clearErrors());
    general.hidden = true;
    try {
      return toArguments(fields, readForm(fields, controls));
    } catch (error) {
      if (error instanceof InputError) {
        controls.forEach((c) => c.showErrors(new Map([[error.path.join("."), [error.message]]])));
        return null;
      }
      throw error;
    }
  }

  private async callTool(general: HTMLElement, output: HTMLElement, submit: HTMLButtonElement): Promise<void> {
    if (!this.current) return;
    const { tool, controls } = this.current;
    const args = this.argumentsOrShow(general);
    if (!args) return;
    submit.disabled = true;
    output.replaceChildren(h("p", { class: "status" }, "Calling…"));
    try {
      const result = (await this.rpc.call("tools/call", { name: tool.name, arguments: args })) as unknown as ToolResultLike;
      const ok = !result.isError;
      const status = h("p", { class: `status ${ok ? "ok" : "error"}`, role: "status" }, ok ? "Success" : "The tool answered with an error");
      output.replaceChildren(status, readable(result), rawJson(result));
      if (!ok) {
        const { fields, general: messages } = fieldErrors(result);
        const shown = controls.reduce((n, c) => n + c.showErrors(fields), 0);
        const unplaced = [...fields.entries()].filter(([path]) => !shown || !this.hasControl(path)).map(([path, m]) => `${path}: ${m.join(" ")}`);
        const text = [...messages, ...unplaced].join(" ");
        if (text) {
          general.textContent = text;
          general.hidden = false;
        }
        const invalid = this.detail.querySelector<HTMLElement>("[aria-invalid=true]");
        invalid?.focus();
      }
      this.record(tool.name, args, ok, ok ? "ok" : (result.content?.[0]?.text ?? "error"));
    } catch (error) {
      const message = error instanceof RpcError ? `${error.message} (JSON-RPC ${error.code})` : String(error);
      output.replaceChildren(failure(message));
      this.record(tool.name, args, false, message);
    } finally {
      submit.disabled = false;
    }
  }

  private hasControl(path: string): boolean {
    return Boolean(this.detail.querySelector(`[name="${CSS.escape(path)}"]`));
  }

  private copy(text: string, target: HTMLElement): void {
    target.textContent = text;
    target.hidden = false;
    void navigator.clipboard?.writeText(text).catch(() => undefined);
  }

  // history ------------------------------------------------------------------------------

  private record(tool: string, args: Json, ok: boolean, summary: string): void {
    this.history.unshift({ at: new Date(), tool, arguments: args, ok, summary });
    this.renderHistory();
  }

  private historyPanel(): HTMLElement {
    return h(
      "div",
      {},
      h("table", { class: "history" }, h("thead", {}, h("tr", {}, ...["Time", "Tool", "Arguments", "Outcome", ""].map((c) => h("th", { scope: "col" }, c)))), this.historyBody),
    );
  }

  private renderHistory(): void {
    this.historyBody.replaceChildren(
      ...this.history.map((entry) => {
        const again = h("button", { type: "button" }, "Load");
        again.addEventListener("click", () => {
          const tool = this.tools.find((t) => t.name === entry.tool);
          if (!tool) return;
          this.select("tools");
          this.open(tool, entry.arguments);
        });
        return h(
          "tr",
          { class: entry.ok ? "ok" : "error" },
          h("td", {}, entry.at.toLocaleTimeString()),
          h("td", {}, h("code", {}, entry.tool)),
          h("td", {}, h("code", {}, JSON.stringify(entry.arguments))),
          h("td", {}, entry.ok ? "ok" : entry.summary),
          h("td", {}, again),
        );
      }),
    );
  }

  // resources and prompts ------------------------------------------------------------------

  private async loadResources(): Promise<void> {
    const panel = this.panels.get("resources") as HTMLElement;
    const out = h("div", { class: "output" });
    try {
      const resources = await this.rpc.list("resources/list", "resources");
      const templates = await this.rpc.list("resources/templates/list", "resourceTemplates");
      const read = async (uri: string): Promise<void> => {
        try {
          const result = await this.rpc.call("resources/read", { uri });
          const contents = (result.contents ?? []) as Json[];
          out.replaceChildren(h("h3", {}, uri), ...contents.map((c) => h("pre", {}, typeof c.text === "string" ? c.text : "(binary)")));
        } catch (error) {
          out.replaceChildren(failure((error as Error).message));
        }
      };
      const list = h("ul", { class: "resources" });
      for (const r of resources) {
        const button = h("button", { type: "button" }, String(r.uri));
        button.addEventListener("click", () => void read(String(r.uri)));
        list.append(h("li", {}, button, " ", String(r.description ?? "")));
      }
      for (const t of templates) {
        const template = String(t.uriTemplate);
        const variable = /\{([^}]+)\}/.exec(template)?.[1] ?? "id";
        const id = `tpl-${String(t.name)}`;
        const input = h("input", { id, type: "text", size: "8" });
        const button = h("button", { type: "button" }, "Read");
        button.addEventListener("click", () => void read(template.replace(`{${variable}}`, encodeURIComponent(input.value))));
        list.append(h("li", {}, h("code", {}, template), " ", h("label", { for: id }, variable), " ", input, " ", button));
      }
      panel.replaceChildren(h("h2", {}, "Resources"), list, out);
    } catch (error) {
      panel.replaceChildren(failure((error as Error).message));
    }
  }

  private async loadPrompts(): Promise<void> {
    const panel = this.panels.get("prompts") as HTMLElement;
    try {
      const prompts = await this.rpc.list("prompts/list", "prompts");
      const items = prompts.map((prompt) => {
        const args = (prompt.arguments ?? []) as Json[];
        const inputs = args.map((a) => {
          const id = `p-${String(prompt.name)}-${String(a.name)}`;
          const help = typeof a.description === "string" ? [h("p", { class: "help", id: `${id}-help` }, a.description)] : [];
          const input = h("input", { id, type: "text", ...(help.length ? { "aria-describedby": `${id}-help` } : {}) });
          return { name: String(a.name), input, label: h("label", { for: id }, String(a.name), a.required ? " *" : ""), help };
        });
        const out = h("div", { class: "output" });
        const form = h("form", { class: "prompt-form", novalidate: "" }, ...inputs.map((i) => h("div", { class: "field" }, i.label, i.input, ...i.help)), h("button", { type: "submit" }, "Get prompt"), out);
        form.addEventListener("submit", (event) => {
          event.preventDefault();
          const values: Json = {};
          for (const i of inputs) if (i.input.value) values[i.name] = i.input.value;
          this.rpc
            .call("prompts/get", { name: String(prompt.name), arguments: values })
            .then((result) => {
              const messages = (result.messages ?? []) as Json[];
              out.replaceChildren(...messages.map((m) => h("div", { class: "message" }, h("strong", {}, `${String(m.role)}: `), h("pre", {}, String(((m.content ?? {}) as Json).text ?? JSON.stringify(m.content))))));
            })
            .catch((error: Error) => out.replaceChildren(failure(error.message)));
        });
        return h("details", { class: "prompt" }, h("summary", {}, h("code", {}, String(prompt.name)), " ", String(prompt.description ?? "")), form);
      });
      panel.replaceChildren(h("h2", {}, "Prompts"), ...items);
    } catch (error) {
      panel.replaceChildren(failure((error as Error).message));
    }
  }
}
