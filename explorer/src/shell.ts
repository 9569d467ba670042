// The page shell: the server's header (name, version, protocol, who is logged in, "copy
// client config") and the tabs, each with its panel, loaded the first time it is selected.

import type { Json } from "./common";
import { clientConfigText, copy } from "./copy";
import { h } from "./form";
import { asText } from "./schema";
import type { Config, Rpc } from "./rpc";

export function header(info: Json, config: Config, rpc: Rpc, toolCount: number): HTMLElement {
  const who = config.user
    ? [h("span", {}, "Logged in as ", h("strong", {}, config.user))]
    : [
        h("span", {}, "Not logged in"),
        ...(config.loginUrl ? [" · ", h("a", { href: config.loginUrl }, "Log in")] : []),
      ];
  const copied = h("pre", { class: "copied", hidden: "" });
  const copyConfig = h("button", { type: "button" }, "Copy client config");
  copyConfig.addEventListener("click", () =>
    copy(clientConfigText(config, asText(info.name ?? config.serverName)), copied),
  );
  const meta = h(
    "p",
    { class: "meta" },
    `${asText(info.name ?? "")} ${asText(info.version ?? "")} · protocol `,
    h("code", { class: "protocol-version" }, rpc.negotiated ?? ""),
    ` · ${toolCount} tools`,
  );
  return h(
    "header",
    { class: "server" },
    h("div", {}, h("h1", {}, asText(info.title ?? info.name ?? "MCP server")), meta),
    h("div", { class: "who" }, ...who, " ", copyConfig),
    copied,
  );
}

export interface Section {
  key: string;
  label: string;
  /** The panel's first content. */
  build: () => HTMLElement;
  /** Fills the panel the first time its tab is selected. */
  load?: (panel: HTMLElement) => Promise<void>;
}

/** The tab list (arrow keys move between tabs) and the panels it shows one at a time. */
export class Tabs {
  readonly list = h("div", { role: "tablist", "aria-label": "Explorer sections" });
  private tabs = new Map<string, HTMLButtonElement>();
  private panels = new Map<string, HTMLElement>();
  private loads = new Map<string, (panel: HTMLElement) => Promise<void>>();
  private loaded = new Set<string>();

  constructor(sections: Section[]) {
    for (const section of sections) this.add(section);
  }

  private add({ key, label, build, load }: Section): void {
    const tab = h(
      "button",
      {
        type: "button",
        role: "tab",
        id: `tab-${key}`,
        "aria-controls": `panel-${key}`,
        "aria-selected": "false",
        tabindex: "-1",
      },
      label,
    );
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
    this.list.append(tab);
    const panel = h(
      "section",
      { role: "tabpanel", id: `panel-${key}`, "aria-labelledby": `tab-${key}`, hidden: "" },
      build(),
    );
    this.panels.set(key, panel);
    if (load) this.loads.set(key, load);
  }

  /** The panels, in the tabs' order. */
  panelElements(): HTMLElement[] {
    return [...this.panels.values()];
  }

  select(key: string): void {
    for (const [name, tab] of this.tabs) {
      const on = name === key;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      const panel = this.panels.get(name);
      if (panel) panel.hidden = !on;
    }
    if (!this.loaded.has(key)) {
      this.loaded.add(key);
      const load = this.loads.get(key);
      const panel = this.panels.get(key);
      if (load && panel) void load(panel);
    }
  }
}
