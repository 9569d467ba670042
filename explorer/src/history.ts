// The call history: a row per call (newest first), each with a button that loads its
// arguments back into the tool's form.

import type { Json } from "./common";
import { h } from "./form";

export interface HistoryEntry {
  at: Date;
  tool: string;
  arguments: Json;
  ok: boolean;
  summary: string;
}

export class History {
  private entries: HistoryEntry[] = [];
  private body = h("tbody");

  /** load: called with the entry whose "Load" button was pressed. */
  constructor(private load: (entry: HistoryEntry) => void) {}

  panel(): HTMLElement {
    const columns = ["Time", "Tool", "Arguments", "Outcome", ""];
    const head = h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, c))));
    return h("div", {}, h("table", { class: "history" }, head, this.body));
  }

  record(tool: string, args: Json, ok: boolean, summary: string): void {
    this.entries.unshift({ at: new Date(), tool, arguments: args, ok, summary });
    this.render();
  }

  private render(): void {
    this.body.replaceChildren(
      ...this.entries.map((entry) => {
        const again = h("button", { type: "button" }, "Load");
        again.addEventListener("click", () => this.load(entry));
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
}
