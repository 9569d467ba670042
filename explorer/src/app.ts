// The explorer page, composed: the shell (header and tabs) with the tools (grouped by the
// resource the server says each belongs to, and a form each), the call history, and the
// resources and prompts.

import { ToolPanel } from "./call";
import type { Json, Tool } from "./common";
import { h } from "./form";
import { History, type HistoryEntry } from "./history";
import { loadPrompts } from "./prompts";
import { loadResources } from "./resources";
import { Relations } from "./relations";
import { type Config, Rpc } from "./rpc";
import { header, type Section, Tabs } from "./shell";
import { toolNav } from "./tools";

export class Explorer {
  private rpc: Rpc;
  private tools: Tool[] = [];
  private tabs: Tabs | null = null;
  private history = new History((entry) => this.reload(entry));
  private detail: ToolPanel;

  constructor(
    private root: HTMLElement,
    private config: Config,
  ) {
    this.rpc = new Rpc(config);
    this.detail = new ToolPanel(this.rpc, config, (...call) => this.history.record(...call));
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
    // Relation fields offer the ids completion/complete gives for the resource's template.
    const completes = Boolean(capabilities.completions && capabilities.resources);
    this.detail.relations = new Relations(this.rpc, completes, this.config.toolGroups);
    const top = header(info, this.config, this.rpc, this.tools.length);
    this.tabs = new Tabs(this.sections(capabilities));
    this.root.replaceChildren(top, this.tabs.list, ...this.tabs.panelElements());
    this.tabs.select("tools");
  }

  private sections(capabilities: Json): Section[] {
    const sections: Section[] = [{ key: "tools", label: "Tools", build: () => this.toolsPanel() }];
    if (capabilities.resources) {
      const load = (panel: HTMLElement): Promise<void> => loadResources(this.rpc, panel);
      sections.push({ key: "resources", label: "Resources", build: () => h("div"), load });
    }
    if (capabilities.prompts) {
      const load = (panel: HTMLElement): Promise<void> => loadPrompts(this.rpc, panel);
      sections.push({ key: "prompts", label: "Prompts", build: () => h("div"), load });
    }
    sections.push({ key: "history", label: "History", build: () => this.history.panel() });
    return sections;
  }

  private toolsPanel(): HTMLElement {
    const nav = toolNav(this.tools, this.config.toolGroups, (tool) => this.detail.open(tool));
    this.detail.showHint();
    return h("div", { class: "tools-layout" }, nav, this.detail.element);
  }

  /** A history entry's "Load": its tool's form again, with its arguments. */
  private reload(entry: HistoryEntry): void {
    const tool = this.tools.find((t) => t.name === entry.tool);
    if (!tool) return;
    this.tabs?.select("tools");
    this.detail.open(tool, entry.arguments);
  }
}
