import { describe, expect, it } from "vitest";

import { formControls, readForm } from "./form";
import { readable, table } from "./render";
import { fieldsOf, type Schema, toArguments } from "./schema";

const SCHEMA: Schema = {
  type: "object",
  required: ["title"],
  properties: {
    title: { type: "string", maxLength: 200, description: "The title." },
    genre: { type: "string", enum: ["fiction", "history"], default: "fiction" },
    copies: { type: "integer", minimum: 0 },
    note: { type: ["string", "null"], maxLength: 20 },
    tags: { type: "array", items: { type: "string", maxLength: 10 } },
    shelf: {
      type: "object",
      properties: { row: { type: "integer" }, side: { type: "string", maxLength: 5 } },
    },
  },
};

function render(): {
  form: HTMLFormElement;
  fields: ReturnType<typeof fieldsOf>;
  controls: ReturnType<typeof formControls>;
} {
  const fields = fieldsOf(SCHEMA);
  const controls = formControls(fields, "t");
  const form = document.createElement("form");
  form.append(...controls.map((c) => c.element));
  document.body.replaceChildren(form);
  return { form, fields, controls };
}

function input(form: HTMLElement, name: string): HTMLInputElement {
  return form.querySelector(`[name="${name}"]`) as HTMLInputElement;
}

describe("the form in the DOM", () => {
  it("labels every control and describes it", () => {
    const { form } = render();
    for (const control of form.querySelectorAll("input, select, textarea")) {
      const element = control as HTMLInputElement;
      if (element.type === "checkbox") continue;
      expect(element.labels?.length, element.name).toBe(1);
    }
    const title = input(form, "title");
    expect(title.labels?.[0]?.textContent).toBe("Title *");
    expect(title.getAttribute("aria-required")).toBe("true");
    const help = document.getElementById(
      title.getAttribute("aria-describedby")?.split(" ")[0] ?? "",
    );
    expect(help?.textContent).toBe("The title. At most 200 characters.");
    expect((form.querySelector('[name="genre"]') as HTMLSelectElement).value).toBe('"fiction"');
  });

  it("reads typed arguments back, with array items added and removed, null and nesting", () => {
    const { form, fields, controls } = render();
    input(form, "title").value = "Dune";
    input(form, "copies").value = "3";
    (
      form.querySelector("#" + CSS.escape(input(form, "note").id) + "-null") as HTMLInputElement
    ).checked = true;
    const add = form.querySelector("button.add") as HTMLButtonElement;
    add.click();
    add.click();
    add.click();
    input(form, "tags.0").value = "a";
    input(form, "tags.1").value = "b";
    input(form, "tags.2").value = "c";
    (form.querySelectorAll("button.remove")[1] as HTMLButtonElement).click();
    input(form, "shelf.row").value = "2";
    expect(toArguments(fields, readForm(fields, controls))).toEqual({
      title: "Dune",
      genre: "fiction",
      copies: 3,
      note: null,
      tags: ["a", "c"],
      shelf: { row: 2 },
    });
  });

  it("shows the server's messages next to their inputs", () => {
    const { form, controls } = render();
    const shown = controls.reduce(
      (n, c) =>
        n +
        c.showErrors(
          new Map([
            ["title", ["This field may not be blank."]],
            ["shelf.row", ["A valid integer is required."]],
          ]),
        ),
      0,
    );
    expect(shown).toBe(2);
    const title = input(form, "title");
    expect(title.getAttribute("aria-invalid")).toBe("true");
    const errorId = title.getAttribute("aria-describedby")?.split(" ").pop() ?? "";
    const error = document.getElementById(errorId) as HTMLElement;
    expect(error.textContent).toBe("This field may not be blank.");
    expect(error.hidden).toBe(false);
    expect(title.parentElement?.contains(error)).toBe(true);
    controls.forEach((c) => c.clearErrors());
    expect(title.hasAttribute("aria-invalid")).toBe(false);
    expect(error.hidden).toBe(true);
  });

  it("writes earlier arguments back into the form (history)", () => {
    const { form, fields, controls } = render();
    controls[0]?.write("Again");
    controls[4]?.write(["x", "y"]);
    expect(input(form, "tags.1").value).toBe("y");
    expect(toArguments(fields, readForm(fields, controls))).toMatchObject({
      title: "Again",
      tags: ["x", "y"],
    });
  });
});

describe("results", () => {
  it("shows lists of objects as a table and keeps extra keys", () => {
    const view = readable({
      structuredContent: {
        count: 1,
        next: null,
        results: [{ id: 1, title: "Dune", author: { name: "Herbert" } }],
      },
      content: [
        { type: "text", text: "{}" },
        { type: "text", text: 'More results: call books_list with {"page":2}.' },
      ],
    });
    expect([...view.querySelectorAll("th")].map((th) => th.textContent)).toEqual([
      "id",
      "title",
      "author",
    ]);
    expect(view.querySelector("tbody td:nth-child(2)")?.textContent).toBe("Dune");
    expect(view.querySelector("tbody dl dt")?.textContent).toBe("name");
    expect(view.querySelector(".note")?.textContent).toContain("More results");
    expect(table([{ a: null }]).querySelector(".null")?.textContent).toBe("null");
  });

  it("shows error text and images", () => {
    const view = readable({
      isError: true,
      content: [
        { type: "text", text: "Error: HTTP 404 Not Found." },
        { type: "image", data: "AAAA", mimeType: "image/png" },
      ],
    });
    expect(view.querySelector("p")?.textContent).toBe("Error: HTTP 404 Not Found.");
    expect(view.querySelector("img")?.getAttribute("src")).toBe("data:image/png;base64,AAAA");
  });
});

describe("files", () => {
  it("reads a chosen file as base64 with its name and type", async () => {
    const fields = fieldsOf({
      type: "object",
      properties: {
        cover: {
          type: "object",
          properties: {
            filename: { type: "string" },
            content: { type: "string", contentEncoding: "base64" },
            media_type: { type: "string" },
          },
        },
      },
    });
    const controls = formControls(fields, "file");
    document.body.replaceChildren(...controls.map((c) => c.element));
    const input = document.querySelector('input[type="file"]') as HTMLInputElement;
    expect(input.labels?.[0]?.textContent).toBe("Cover");
    const file = new File(["hello"], "cover.txt", { type: "text/plain" });
    Object.defineProperty(input, "files", { value: [file] });
    input.dispatchEvent(new Event("change"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(toArguments(fields, readForm(fields, controls))).toEqual({
      cover: { filename: "cover.txt", content: btoa("hello"), media_type: "text/plain" },
    });
  });
});
