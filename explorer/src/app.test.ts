// The page takes the tool list's headings from its config (the server's toolGroups).

import { afterEach, describe, expect, it, vi } from "vitest";

import { Explorer } from "./app";
import type { Config } from "./rpc";

const TOOLS = ["books_list", "ping", "loans_return_book", "books_create"];

function server(): void {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: { body: string }) => {
      const message = JSON.parse(init.body) as { id?: unknown; method: string };
      const results: Record<string, unknown> = {
        initialize: {
          protocolVersion: "2025-11-25",
          capabilities: { tools: {} },
          serverInfo: { name: "s" },
        },
        "tools/list": { tools: TOOLS.map((name) => ({ name, inputSchema: { type: "object" } })) },
      };
      if (!(message.method in results)) return new Response(null, { status: 202 });
      const body = JSON.stringify({
        jsonrpc: "2.0",
        id: message.id,
        result: results[message.method],
      });
      return new Response(body, { headers: { "Content-Type": "application/json" } });
    }),
  );
}

async function headings(config: Partial<Config>): Promise<string[]> {
  server();
  const root = document.createElement("main");
  document.body.append(root);
  const base = { endpoint: "/mcp/", csrfToken: "t", user: null, loginUrl: null, serverName: "s" };
  await new Explorer(root, { ...base, ...config }).start();
  return [...root.querySelectorAll(".tool-list h2")].map((e) => e.textContent ?? "");
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe("the tool list", () => {
  it("groups by the config's toolGroups, the rest last", async () => {
    const toolGroups = { books_list: "books", books_create: "books", loans_return_book: "loans" };
    expect(await headings({ toolGroups })).toEqual(["books", "loans", "other tools"]);
  });

  it("has one heading when the server sends no toolGroups", async () => {
    expect(await headings({})).toEqual(["other tools"]);
  });
});
