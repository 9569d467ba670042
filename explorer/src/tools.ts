// The tool list: the tools grouped under the resource each belongs to, as the server says
// (the page's config.toolGroups); the rest (function tools, or an older server that sends
// no groups) under one last heading.

import { badges, type Tool } from "./common";
import { h } from "./form";

/** The heading of the tools no resource claims. */
export const OTHER_TOOLS = "other tools";

/** Tool name -> the heading (resource) it is listed under. */
export type ToolGroups = Record<string, string>;

/** The tools by heading: the server's headings in first-seen order, then OTHER_TOOLS for the
 * tools toolGroups does not name (all of them when it is missing or not an object). */
export function groupTools<T extends { name: string }>(
  tools: readonly T[],
  toolGroups?: ToolGroups | null,
): Map<string, T[]> {
  const known = toolGroups && typeof toolGroups === "object" && !Array.isArray(toolGroups);
  const groups = new Map<string, T[]>();
  const others: T[] = [];
  for (const tool of tools) {
    const heading =
      known && Object.prototype.hasOwnProperty.call(toolGroups, tool.name)
        ? toolGroups[tool.name]
        : undefined;
    if (typeof heading !== "string" || !heading || heading === OTHER_TOOLS) others.push(tool);
    else groups.set(heading, [...(groups.get(heading) ?? []), tool]);
  }
  if (others.length) groups.set(OTHER_TOOLS, others);
  return groups;
}

/** Whether a tool matches a search: every word of it is in the tool's name, title or
 * description (case aside). */
export function toolMatches(tool: Tool, search: string): boolean {
  const text = [tool.name, tool.title ?? "", tool.description ?? ""].join(" ").toLowerCase();
  return search
    .toLowerCase()
    .split(/\s+/)
    .every((word) => text.includes(word));
}

/** The navigation: a search box, a section per heading, a button per tool (with its
 * badges); the search hides the tools (and headings) it does not match. */
export function toolNav(
  tools: readonly Tool[],
  toolGroups: ToolGroups | null | undefined,
  open: (tool: Tool) => void,
): HTMLElement {
  const search = h("input", { type: "search", id: "tool-search", autocomplete: "off" });
  const count = h("p", { class: "search-count", role: "status" });
  const nav = h(
    "nav",
    { class: "tool-list", "aria-label": "Tools by resource" },
    h(
      "div",
      { class: "tool-search" },
      h("label", { for: "tool-search" }, "Search tools"),
      search,
      count,
    ),
  );
  const rows: { tool: Tool; item: HTMLElement }[] = [];
  search.addEventListener("input", () => {
    let shown = 0;
    for (const { tool, item } of rows) {
      item.hidden = !toolMatches(tool, search.value.trim());
      if (!item.hidden) shown += 1;
    }
    for (const group of nav.querySelectorAll<HTMLElement>("section.group"))
      group.hidden = !group.querySelector("li:not([hidden])");
    count.textContent = search.value.trim()
      ? shown
        ? `${shown} of ${rows.length} tools`
        : "No tool matches."
      : "";
  });
  for (const [resource, members] of groupTools(tools, toolGroups)) {
    const items = members.map((tool) => {
      const button = h(
        "button",
        { type: "button", class: "tool", "data-tool": tool.name },
        h("span", { class: "name" }, tool.name),
        ...badges(tool),
      );
      button.addEventListener("click", () => open(tool));
      const item = h("li", {}, button);
      rows.push({ tool, item });
      return item;
    });
    nav.append(h("section", { class: "group" }, h("h2", {}, resource), h("ul", {}, ...items)));
  }
  return nav;
}
