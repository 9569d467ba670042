// The tool list's grouping comes from the server (config.toolGroups), never from the names.

import { describe, expect, it, vi } from "vitest";

import type { Tool } from "./common";
import { groupTools, OTHER_TOOLS, toolMatches, toolNav } from "./tools";

const names = (tools: { name: string }[]): string[] => tools.map((t) => t.name);
const tool = (name: string): Tool => ({ name, inputSchema: { type: "object" } });

function grouped(
  tools: string[],
  toolGroups?: Record<string, string> | null,
): [string, string[]][] {
  return [...groupTools(tools.map(tool), toolGroups)].map(([heading, g]) => [heading, names(g)]);
}

describe("groupTools", () => {
  it("groups under the server's headings, in first-seen order", () => {
    const toolGroups = {
      orders_list: "orders",
      customers_list: "customers",
      customers_retrieve: "customers",
      orders_refund: "orders",
    };
    expect(
      grouped(["orders_list", "customers_list", "orders_refund", "customers_retrieve"], toolGroups),
    ).toEqual([
      ["orders", ["orders_list", "orders_refund"]],
      ["customers", ["customers_list", "customers_retrieve"]],
    ]);
  });

  it("takes the heading as given, whatever the tool's name says", () => {
    // A custom action, a name with no CRUD suffix, and one whose first word is another resource.
    const toolGroups = { loan_return_book: "loans", stats: "reports", books_by_author: "authors" };
    expect(grouped(["loan_return_book", "stats", "books_by_author"], toolGroups)).toEqual([
      ["loans", ["loan_return_book"]],
      ["reports", ["stats"]],
      ["authors", ["books_by_author"]],
    ]);
  });

  it("puts the tools it does not name under one last heading", () => {
    const toolGroups = { books_list: "books", books_create: "books" };
    expect(grouped(["ping", "books_list", "echo_text", "books_create"], toolGroups)).toEqual([
      ["books", ["books_list", "books_create"]],
      [OTHER_TOOLS, ["ping", "echo_text"]],
    ]);
    expect(OTHER_TOOLS).toBe("other tools");
  });

  it("lists every tool under 'other tools' for a server that sends no groups", () => {
    for (const missing of [undefined, null, [] as unknown as Record<string, string>]) {
      expect(grouped(["books_list", "authors_list"], missing)).toEqual([
        [OTHER_TOOLS, ["books_list", "authors_list"]],
      ]);
    }
  });

  it("has no heading for no tools, and ignores groups of tools it was not given", () => {
    expect(grouped([], { books_list: "books" })).toEqual([]);
    expect(grouped(["a"], { b: "bees" })).toEqual([[OTHER_TOOLS, ["a"]]]);
  });

  it("reads only the tools' own entries, and only string headings", () => {
    const toolGroups = JSON.parse(
      '{"__proto__": "protos", "valid": "ok", "number": 3, "empty": ""}',
    ) as Record<string, string>;
    expect(
      grouped(["constructor", "toString", "__proto__", "valid", "number", "empty"], toolGroups),
    ).toEqual([
      ["protos", ["__proto__"]],
      ["ok", ["valid"]],
      [OTHER_TOOLS, ["constructor", "toString", "number", "empty"]],
    ]);
  });

  it("keeps a server heading named 'other tools' last, with the ungrouped tools", () => {
    const toolGroups = { a: OTHER_TOOLS, b: "bees" };
    expect(grouped(["a", "b", "c"], toolGroups)).toEqual([
      ["bees", ["b"]],
      [OTHER_TOOLS, ["a", "c"]],
    ]);
  });
});

describe("toolNav", () => {
  it("shows a section per heading and opens the tool clicked", () => {
    const open = vi.fn();
    const nav = toolNav([tool("ping"), tool("books_list")], { books_list: "books" }, open);
    expect(nav.getAttribute("aria-label")).toBe("Tools by resource");
    expect([...nav.querySelectorAll("section.group h2")].map((e) => e.textContent)).toEqual([
      "books",
      "other tools",
    ]);
    const button = nav.querySelector<HTMLButtonElement>('button.tool[data-tool="ping"]');
    expect(button?.querySelector(".name")?.textContent).toBe("ping");
    button?.click();
    expect(open).toHaveBeenCalledWith(expect.objectContaining({ name: "ping" }));
  });

  it("filters the tools by name, title and description as you type, and restores them", () => {
    const tools: Tool[] = [
      { ...tool("books_list"), title: "List books" },
      { ...tool("loans_create"), description: "Lend a book." },
      { ...tool("ping"), title: "Check the server" },
    ];
    const nav = toolNav(tools, { books_list: "books", loans_create: "loans" }, vi.fn());
    document.body.replaceChildren(nav);
    const search = nav.querySelector<HTMLInputElement>('input[type="search"]')!;
    expect(search.labels?.[0]?.textContent).toBe("Search tools");
    const shown = (): string[] =>
      [...nav.querySelectorAll<HTMLElement>("button.tool")]
        .filter((b) => !b.closest("[hidden]"))
        .map((b) => b.dataset.tool ?? "");
    const type = (text: string): void => {
      search.value = text;
      search.dispatchEvent(new Event("input"));
    };
    type("LEND");
    expect(shown()).toEqual(["loans_create"]);
    expect(nav.querySelector(".search-count")?.textContent).toBe("1 of 3 tools");
    type("book list");
    expect(shown()).toEqual(["books_list"]);
    type("check server");
    expect(shown()).toEqual(["ping"]);
    type("nothing like it");
    expect(shown()).toEqual([]);
    expect(nav.querySelector(".search-count")?.textContent).toBe("No tool matches.");
    type("");
    expect(shown()).toEqual(["books_list", "loans_create", "ping"]);
    expect(toolMatches(tools[0]!, "")).toBe(true);
  });
});
