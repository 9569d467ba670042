// Relation fields: a combobox of completion's values, or a plain input when completion gives
// nothing, fails, or the server offers none.

import { afterEach, describe, expect, it, vi } from "vitest";

import { type Completer, formControls, readForm } from "./form";
import { Relations, templateFor } from "./relations";
import type { Rpc } from "./rpc";
import { fieldsOf, type Schema, toArguments } from "./schema";

const SCHEMA: Schema = {
  type: "object",
  required: ["book"],
  properties: {
    book: { type: "integer", description: "Id of a book; read it with books_retrieve." },
    due: { type: "string", format: "date" },
  },
};

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

async function book(complete: Completer | null): Promise<HTMLInputElement> {
  const fields = fieldsOf(SCHEMA);
  const controls = formControls(fields, "r", { completer: () => complete });
  document.body.replaceChildren(...controls.map((c) => c.element));
  await settle();
  return document.querySelector('[name="book"]') as HTMLInputElement;
}

afterEach(() => {
  document.body.replaceChildren();
  vi.useRealTimers();
});

describe("a relation field", () => {
  it("knows its reader from the description", () => {
    const [field] = fieldsOf(SCHEMA);
    expect(field?.relation).toBe("books_retrieve");
    expect(fieldsOf(SCHEMA)[1]?.relation).toBeUndefined();
  });

  it("stays a plain number input when completion gives nothing", async () => {
    const input = await book(async () => []);
    expect(input.type).toBe("number");
    expect(input.getAttribute("role")).toBeNull();
    expect(document.querySelector('[role="listbox"]')?.hasAttribute("hidden")).toBe(true);
  });

  it("stays a plain number input when completion fails", async () => {
    const input = await book(() => Promise.reject(new Error("-32601 Method not found")));
    expect(input.type).toBe("number");
    expect(input.getAttribute("role")).toBeNull();
  });

  it("stays a plain number input when the server completes nothing at all", async () => {
    const relations = new Relations({} as Rpc, false);
    const [field] = fieldsOf(SCHEMA);
    expect(relations.completer(field!)).toBeNull();
    const input = await book(null);
    expect(input.type).toBe("number");
    expect(document.querySelector('[role="listbox"]')).toBeNull();
  });

  it("becomes a combobox of the values completion gives, searched as you type", async () => {
    const asked: string[] = [];
    const input = await book(async (typed) => {
      asked.push(typed);
      return ["1", "2", "10", "12"].filter((v) => v.startsWith(typed));
    });
    expect(input.getAttribute("role")).toBe("combobox");
    const list = document.getElementById(input.getAttribute("aria-controls") ?? "")!;
    expect(list.getAttribute("role")).toBe("listbox");
    input.focus();
    input.dispatchEvent(new Event("focus"));
    expect(list.hidden).toBe(false);
    expect(input.getAttribute("aria-expanded")).toBe("true");
    vi.useFakeTimers();
    input.value = "1";
    input.dispatchEvent(new Event("input"));
    await vi.advanceTimersByTimeAsync(200);
    vi.useRealTimers();
    await settle();
    expect(asked).toEqual(["", "1"]);
    expect([...list.querySelectorAll('[role="option"]')].map((o) => o.textContent)).toEqual([
      "1",
      "10",
      "12",
    ]);
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown" }));
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown" }));
    expect(document.getElementById(input.getAttribute("aria-activedescendant")!)?.textContent).toBe(
      "10",
    );
    const enter = new KeyboardEvent("keydown", { key: "Enter", cancelable: true });
    input.dispatchEvent(enter);
    expect(enter.defaultPrevented).toBe(true); // chose; did not submit the form
    expect(input.value).toBe("10");
    expect(list.hidden).toBe(true);
    list.querySelectorAll("li")[2]?.dispatchEvent(new MouseEvent("mousedown"));
    expect(input.value).toBe("12");
    const fields = fieldsOf(SCHEMA);
    const controls = formControls(fields, "x");
    controls[0]?.write("12");
    expect(toArguments(fields, readForm(fields, controls))).toEqual({ book: 12 });
  });
});

describe("templateFor", () => {
  const templates = [{ uriTemplate: "drf://authors/{pk}" }, { uriTemplate: "drf://books/{isbn}" }];

  it("finds the reader's resource template by its group, else by its name", () => {
    expect(templateFor("books_retrieve", templates)).toEqual({
      uri: "drf://books/{isbn}",
      variable: "isbn",
    });
    expect(templateFor("writer_get", templates, { writer_get: "authors" })?.uri).toBe(
      "drf://authors/{pk}",
    );
    expect(templateFor("loans_retrieve", templates)).toBeNull();
    expect(templateFor("constructor", templates, {})).toBeNull();
  });

  it("asks completion/complete for the template's variable", async () => {
    const call = vi.fn(async (method: string) =>
      method === "resources/templates/list"
        ? { resourceTemplates: templates }
        : { completion: { values: ["7", 8, "9"] } },
    );
    const rpc = { list: async () => templates, call } as unknown as Rpc;
    const [field] = fieldsOf(SCHEMA);
    const complete = new Relations(rpc, true).completer(field!)!;
    expect(await complete("")).toEqual(["7", "9"]);
    expect(call).toHaveBeenCalledWith("completion/complete", {
      ref: { type: "ref/resource", uri: "drf://books/{isbn}" },
      argument: { name: "isbn", value: "" },
    });
  });
});
