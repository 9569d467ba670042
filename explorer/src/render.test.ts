// Whatever the server sends is shown as text: tool names, titles, descriptions, schema
// labels and enum values, results (text, tables, trees, raw JSON), field errors, resources
// and prompts. The page is driven end to end against a stubbed endpoint whose every string
// is markup; none of it may become an element or run.

import { afterEach, describe, expect, it, vi } from "vitest";

import { Explorer } from "./app";
import { control } from "./form";
import { rawJson, readable, tree } from "./render";
import { fieldFor } from "./schema";

const EVIL = `<img src="x" onerror="globalThis.pwned = 1"><script>globalThis.pwned = 2</script><b>bold</b>`;
const MARKUP = "img, script, b, iframe, svg";

type Json = Record<string, unknown>;

function answer(id: unknown, result: Json): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", id, result }), {
    headers: { "Content-Type": "application/json" },
  });
}

/** An endpoint whose every string is EVIL; tools/call fails with a field error the second time. */
function hostileServer(): { calls: string[] } {
  const calls: string[] = [];
  let toolCalls = 0;
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: { body: string }) => {
      const message = JSON.parse(init.body) as { id?: unknown; method: string };
      calls.push(message.method);
      const results: Record<string, () => Json> = {
        initialize: () => ({
          protocolVersion: "2025-11-25",
          capabilities: { tools: {}, resources: {}, prompts: {} },
          serverInfo: { name: EVIL, title: EVIL, version: EVIL },
        }),
        "tools/list": () => ({
          tools: [
            {
              name: "evil_list",
              title: EVIL,
              description: EVIL,
              inputSchema: {
                type: "object",
                properties: {
                  q: { type: "string", title: EVIL, description: EVIL },
                  pick: { enum: [EVIL, "b"] },
                },
              },
            },
          ],
        }),
        "tools/call": () => {
          toolCalls += 1;
          if (toolCalls === 1) {
            return {
              content: [
                { type: "text", text: EVIL },
                { type: "text", text: EVIL },
              ],
              structuredContent: {
                [EVIL]: EVIL,
                results: [{ [EVIL]: EVIL, nested: { [EVIL]: [EVIL] } }],
              },
            };
          }
          return {
            isError: true,
            content: [
              { type: "text", text: EVIL },
              { type: "text", text: JSON.stringify({ q: [EVIL], detail: EVIL }) },
            ],
          };
        },
        "resources/list": () => ({ resources: [{ uri: EVIL, name: "r", description: EVIL }] }),
        "resources/templates/list": () => ({
          resourceTemplates: [{ uriTemplate: `drf://x/{${EVIL}}`, name: EVIL }],
        }),
        "resources/read": () => ({ contents: [{ uri: EVIL, text: EVIL }] }),
        "prompts/list": () => ({
          prompts: [
            { name: EVIL, description: EVIL, arguments: [{ name: EVIL, description: EVIL }] },
          ],
        }),
        "prompts/get": () => ({
          messages: [{ role: EVIL, content: { type: "text", text: EVIL } }],
        }),
      };
      const build = results[message.method];
      if (!build) return new Response(null, { status: 202 });
      return answer(message.id, build());
    }),
  );
  return { calls };
}

async function until(check: () => boolean): Promise<void> {
  await vi.waitFor(() => {
    if (!check()) throw new Error("not yet");
  });
}

function assertInert(root: HTMLElement): void {
  expect(root.querySelectorAll(MARKUP).length).toBe(0);
  expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe("server data is text", () => {
  it("in every view of the page", async () => {
    const { calls } = hostileServer();
    const root = document.createElement("main");
    document.body.append(root);
    await new Explorer(root, {
      endpoint: "/mcp/",
      csrfToken: "t",
      user: EVIL,
      loginUrl: null,
      serverName: EVIL,
    }).start();
    expect(root.querySelector("h1")?.textContent).toBe(EVIL);
    expect(root.querySelector(".who strong")?.textContent).toBe(EVIL);

    (root.querySelector("button.tool") as HTMLButtonElement).click();
    expect(root.querySelector("#tool-title")?.textContent).toContain(EVIL);
    expect(root.querySelector(".description")?.textContent).toBe(EVIL);
    expect([...root.querySelectorAll("label")].map((l) => l.textContent).join()).toContain(EVIL);
    expect([...root.querySelectorAll("option")].map((o) => o.textContent)).toContain(EVIL);
    const form = root.querySelector("form.tool-form") as HTMLFormElement;
    form.requestSubmit();
    await until(() => Boolean(root.querySelector(".output .status.ok")));
    expect([...root.querySelectorAll(".output th")].map((th) => th.textContent)).toContain(EVIL);
    expect(root.querySelector(".output .raw pre")?.textContent).toContain("onerror");
    form.requestSubmit();
    await until(() => Boolean(root.querySelector(".output .status.error")));
    expect(root.querySelector(".form-error")?.textContent).toContain(EVIL);
    expect(
      [...root.querySelectorAll(".error-message, [id$='-error']")].map((e) => e.textContent).join(),
    ).toContain(EVIL);
    assertInert(root);

    (root.querySelector("#tab-resources") as HTMLButtonElement).click();
    await until(() => Boolean(root.querySelector("ul.resources")));
    (root.querySelector("ul.resources button") as HTMLButtonElement).click();
    await until(() => Boolean(root.querySelector("#panel-resources .output pre")));
    expect(root.querySelector("#panel-resources .output pre")?.textContent).toBe(EVIL);
    assertInert(root);

    (root.querySelector("#tab-prompts") as HTMLButtonElement).click();
    await until(() => Boolean(root.querySelector("form.prompt-form")));
    expect(root.querySelector("details.prompt summary")?.textContent).toContain(EVIL);
    (root.querySelector("form.prompt-form") as HTMLFormElement).requestSubmit();
    await until(() => Boolean(root.querySelector("#panel-prompts .message")));
    expect(root.querySelector("#panel-prompts .message pre")?.textContent).toBe(EVIL);
    (root.querySelector("#tab-history") as HTMLButtonElement).click();
    expect(root.querySelector("table.history tbody")?.textContent).toContain(EVIL);
    assertInert(root);
    expect(calls).toEqual(expect.arrayContaining(["tools/call", "resources/read", "prompts/get"]));
  });

  it("in results, trees and raw JSON built on their own", () => {
    const box = document.createElement("div");
    box.append(
      readable({ content: [{ type: "text", text: EVIL }], isError: true }),
      readable({ content: [{ type: "resource", resource: { uri: EVIL, text: EVIL } }] }),
      tree({ [EVIL]: [EVIL, { [EVIL]: null }] }),
      rawJson({ [EVIL]: EVIL }),
    );
    assertInert(box);
    expect(box.textContent).toContain(EVIL);
  });

  it("in form labels, hints and error messages", () => {
    const field = fieldFor(
      EVIL,
      { type: "string", title: EVIL, description: EVIL, default: EVIL },
      {},
      true,
      [EVIL],
    );
    const built = control(field, "x");
    built.showErrors(new Map([[EVIL, [EVIL]]]));
    assertInert(built.element);
    expect(built.element.textContent).toContain(EVIL);
  });
});

describe("a failed call's summary", () => {
  it("names each field with its messages, without list numbering", () => {
    const view = readable({
      isError: true,
      content: [
        { type: "text", text: "Error: HTTP 400 Bad Request." },
        { type: "text", text: '{"title": ["This field may not be blank."], "isbn": ["Taken."]}' },
      ],
    });
    expect(view.querySelector(".error-summary")?.textContent).toBe(
      "Error: HTTP 400 Bad Request.title: This field may not be blank.isbn: Taken.",
    );
    expect(view.querySelector("ol")).toBeNull();
    expect(tree(["a", "b"]).tagName).toBe("UL"); // lists of values are not numbered from 0
  });
});
