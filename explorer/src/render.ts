// Results as people read them: a table for lists of objects, a tree for nested values,
// images as images, and the raw JSON beside them.

import { h } from "./form";
import { fieldErrors, type JSONValue } from "./schema";

type Row = { [key: string]: JSONValue };

function isRow(value: unknown): value is Row {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function cell(value: JSONValue): Node {
  if (value === null) return h("span", { class: "null" }, "null");
  if (typeof value === "object") return tree(value);
  return document.createTextNode(String(value));
}

/** A table when ``rows`` are objects: one column per key, in first-seen order. */
export function table(rows: Row[]): HTMLTableElement {
  const columns: string[] = [];
  for (const row of rows)
    for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return h(
    "table",
    { class: "results" },
    h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      {},
      ...rows.map((row) => h("tr", {}, ...columns.map((c) => h("td", {}, cell(row[c] ?? null))))),
    ),
  );
}

/** A nested value as an expandable tree. */
export function tree(value: JSONValue): HTMLElement {
  if (Array.isArray(value)) {
    if (value.length && value.every(isRow)) return table(value);
    return h("ul", { class: "tree" }, ...value.map((v) => h("li", {}, cell(v))));
  }
  if (isRow(value)) {
    return h(
      "dl",
      { class: "tree" },
      ...Object.entries(value).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, cell(v))]),
    );
  }
  return h("span", {}, cell(value));
}

export interface ToolResultLike {
  content?: {
    type: string;
    text?: string;
    data?: string;
    mimeType?: string;
    resource?: { uri?: string; text?: string };
  }[];
  structuredContent?: Row;
  isError?: boolean;
}

/** A failed call's messages: its summary, then each field's messages after its name, and
 * those of no field. */
export function errorSummary(result: ToolResultLike): HTMLElement | null {
  const { fields, general } = fieldErrors(result);
  if (!fields.size) return null;
  const first = result.content?.[0]?.text;
  return h(
    "div",
    { class: "error-summary" },
    ...(first ? [h("p", {}, first)] : []),
    h(
      "ul",
      {},
      ...general.map((message) => h("li", {}, message)),
      ...[...fields].map(([path, messages]) =>
        h("li", {}, h("strong", {}, path), `: ${messages.join(" ")}`),
      ),
    ),
  );
}

/** The readable view of a tools/call result (the raw JSON is shown next to it). */
export function readable(result: ToolResultLike): HTMLElement {
  // A region of its own that the keyboard reaches too: a wide table scrolls inside it.
  const box = h("div", {
    class: "readable",
    role: "region",
    "aria-label": "Result",
    tabindex: "0",
  });
  const summary = result.isError ? errorSummary(result) : null;
  if (summary) {
    box.append(summary);
    return box;
  }
  const structured = result.structuredContent;
  if (structured && !result.isError) {
    const rows = structured["results"];
    if (Array.isArray(rows) && rows.every(isRow)) {
      const extra = Object.entries(structured).filter(([k]) => k !== "results");
      if (extra.length) box.append(tree(Object.fromEntries(extra)));
      box.append(rows.length ? table(rows) : h("p", {}, "No results."));
    } else {
      box.append(tree(structured));
    }
    const hints = (result.content ?? []).slice(1).filter((b) => b.type === "text");
    for (const block of hints) box.append(h("p", { class: "note" }, block.text ?? ""));
    return box;
  }
  for (const block of result.content ?? []) {
    if (block.type === "text") {
      let parsed: JSONValue | undefined;
      try {
        parsed = JSON.parse(block.text ?? "") as JSONValue;
      } catch {
        parsed = undefined;
      }
      box.append(
        parsed !== undefined && typeof parsed === "object"
          ? tree(parsed)
          : h("p", {}, block.text ?? ""),
      );
    } else if (block.type === "image" && block.data) {
      box.append(
        h("img", { src: `data:${block.mimeType};base64,${block.data}`, alt: "image result" }),
      );
    } else if (block.type === "resource" && block.resource) {
      box.append(
        h("p", {}, `Resource ${block.resource.uri ?? ""}`),
        h("pre", {}, block.resource.text ?? "(binary)"),
      );
    } else {
      box.append(h("p", {}, `(${block.type} content)`));
    }
  }
  return box;
}

export function rawJson(value: unknown): HTMLElement {
  return h(
    "details",
    { class: "raw" },
    h("summary", {}, "Raw JSON"),
    h("pre", {}, JSON.stringify(value, null, 2)),
  );
}
