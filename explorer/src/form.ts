// The form of a tool: one labelled control per field of its inputSchema, values read back
// as RawValues for toArguments(), and the server's field messages shown next to the inputs.

import { asText, type Field, type FileValue, type RawValue } from "./schema";

export interface Control {
  element: HTMLElement;
  read(): RawValue | undefined;
  write(raw: RawValue | undefined): void;
  /** Show the messages for this control's path (and its children's); how many were shown. */
  showErrors(errors: Map<string, string[]>): number;
  clearErrors(): void;
  focus(): void;
}

/** Values a relation may take that start with what was typed (MCP completion). */
export type Completer = (typed: string) => Promise<string[]>;

export interface FormOptions {
  /** The completer of a relation field, if there is one. */
  completer?: (field: Field) => Completer | null;
}

let counter = 0;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

function hint(field: Field): string {
  const parts: string[] = [];
  if (field.description) parts.push(field.description);
  if (field.format && !["date", "date-time", "time"].includes(field.format))
    parts.push(`Format: ${field.format}.`);
  if (field.maxLength !== undefined) parts.push(`At most ${field.maxLength} characters.`);
  // Bounds past what a JS number holds exactly (a database's integer range) say nothing useful.
  if (field.minimum !== undefined && Math.abs(field.minimum) < 2 ** 53)
    parts.push(`Minimum ${field.minimum}.`);
  if (field.maximum !== undefined && Math.abs(field.maximum) < 2 ** 53)
    parts.push(`Maximum ${field.maximum}.`);
  if (field.default !== undefined && field.default !== null)
    parts.push(`Default: ${JSON.stringify(field.default)}.`);
  return parts.join(" ");
}

const INPUT_TYPES: Partial<Record<Field["kind"], string>> = {
  string: "text",
  integer: "number",
  number: "number",
  date: "date",
  datetime: "datetime-local",
  time: "time",
};

/** A labelled input, select or textarea for a field of a single value. */
function scalar(
  field: Field,
  id: string,
): {
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  files: Map<HTMLInputElement, FileValue>;
} {
  const files = new Map<HTMLInputElement, FileValue>();
  let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  if (field.kind === "enum" || field.kind === "boolean") {
    const select = h("select", { id, name: field.path.join(".") });
    select.append(h("option", { value: "" }, field.required ? "— choose —" : "— leave out —"));
    const options =
      field.kind === "boolean"
        ? [
            { value: "true", label: "true" },
            { value: "false", label: "false" },
          ]
        : (field.options ?? []).map((o) => ({ value: JSON.stringify(o.value), label: o.label }));
    for (const option of options) select.append(h("option", { value: option.value }, option.label));
    input = select;
  } else if (field.kind === "text" || field.kind === "json") {
    input = h("textarea", {
      id,
      name: field.path.join("."),
      rows: field.kind === "json" ? "4" : "3",
    });
    if (field.kind === "json") input.setAttribute("placeholder", "JSON");
  } else if (field.kind === "file") {
    const file = h("input", { id, name: field.path.join("."), type: "file" });
    file.addEventListener("change", () => {
      const chosen = file.files?.[0];
      files.delete(file);
      if (!chosen) return;
      const reader = new FileReader();
      reader.onload = () => {
        const data = typeof reader.result === "string" ? reader.result : "";
        files.set(file, {
          filename: chosen.name,
          content: data.slice(data.indexOf(",") + 1),
          media_type: chosen.type || "application/octet-stream",
        });
      };
      reader.readAsDataURL(chosen);
    });
    input = file;
  } else {
    input = h("input", { id, name: field.path.join("."), type: INPUT_TYPES[field.kind] ?? "text" });
    if (field.kind === "number") input.setAttribute("step", "any");
    if (field.kind === "datetime" || field.kind === "time") input.setAttribute("step", "1");
    if (field.format === "email") input.setAttribute("type", "email");
    if (field.maxLength !== undefined) input.setAttribute("maxlength", String(field.maxLength));
  }
  if (field.required) input.setAttribute("aria-required", "true");
  return { input, files };
}

/** The control of any field (objects and arrays nest controls). */
export function control(field: Field, prefix: string, options: FormOptions = {}): Control {
  counter += 1;
  const id = `${prefix}-${field.path.join("-").replace(/[^A-Za-z0-9_-]/g, "_")}-${counter}`;
  const errorBox = h("p", { class: "field-error", id: `${id}-error`, role: "alert", hidden: "" });
  const help = hint(field);
  const helpBox = help ? h("p", { class: "help", id: `${id}-help` }, help) : null;
  const key = field.path.join(".");
  let nullBox: HTMLInputElement | null = null;
  const nullToggle = (): HTMLElement | null => {
    if (!field.nullable) return null;
    nullBox = h("input", { type: "checkbox", id: `${id}-null` });
    return h("label", { class: "null-toggle", for: `${id}-null` }, nullBox, " null");
  };

  const decorate = (target: HTMLElement): void => {
    const described = [helpBox ? `${id}-help` : "", `${id}-error`].filter(Boolean).join(" ");
    target.setAttribute("aria-describedby", described);
  };
  const show = (messages: string[] | undefined, target: HTMLElement): number => {
    if (!messages?.length) return 0;
    errorBox.textContent = messages.join(" ");
    errorBox.hidden = false;
    target.setAttribute("aria-invalid", "true");
    return messages.length;
  };
  const requiredMark = field.required
    ? [h("span", { class: "required", "aria-hidden": "true" }, " *")]
    : [];

  if (field.kind === "object") {
    const children = (field.fields ?? []).map((f) => control(f, prefix, options));
    const toggle = nullToggle();
    const fieldset = h(
      "fieldset",
      { class: "object" },
      h("legend", {}, field.label, ...requiredMark),
      ...(helpBox ? [helpBox] : []),
      ...(toggle ? [toggle] : []),
      ...children.map((c) => c.element),
      errorBox,
    );
    return {
      element: fieldset,
      read() {
        if (nullBox?.checked) return null;
        const out: { [key: string]: RawValue } = {};
        field.fields?.forEach((f, i) => {
          const value = children[i]?.read();
          if (value !== undefined) out[f.name] = value;
        });
        return out;
      },
      write(raw) {
        if (nullBox) nullBox.checked = raw === null;
        const record =
          raw && typeof raw === "object" && !Array.isArray(raw)
            ? (raw as { [key: string]: RawValue })
            : {};
        field.fields?.forEach((f, i) => children[i]?.write(record[f.name]));
      },
      showErrors(errors) {
        return (
          show(errors.get(key), fieldset) + children.reduce((n, c) => n + c.showErrors(errors), 0)
        );
      },
      clearErrors() {
        errorBox.hidden = true;
        fieldset.removeAttribute("aria-invalid");
        children.forEach((c) => c.clearErrors());
      },
      focus() {
        children[0]?.focus();
      },
    };
  }

  if (field.kind === "array") {
    const items: Control[] = [];
    const list = h("div", { class: "items" });
    const add = h("button", { type: "button", class: "add" }, `Add ${field.label.toLowerCase()}`);
    const fieldset = h(
      "fieldset",
      { class: "array" },
      h("legend", {}, field.label, ...requiredMark),
      ...(helpBox ? [helpBox] : []),
      list,
      add,
      errorBox,
    );
    const addItem = (raw?: RawValue): Control => {
      const index = items.length;
      const item = control(
        {
          ...(field.item as Field),
          path: [...field.path, String(index)],
          label: `${field.label} ${index + 1}`,
        },
        prefix,
        options,
      );
      const remove = h(
        "button",
        { type: "button", class: "remove", "aria-label": `Remove ${field.label} ${index + 1}` },
        "Remove",
      );
      const row = h("div", { class: "item" }, item.element, remove);
      remove.addEventListener("click", () => {
        row.remove();
        items.splice(items.indexOf(item), 1);
      });
      items.push(item);
      list.append(row);
      if (raw !== undefined) item.write(raw);
      return item;
    };
    add.addEventListener("click", () => addItem().focus());
    return {
      element: fieldset,
      read() {
        return items.map((c) => c.read() ?? "");
      },
      write(raw) {
        list.replaceChildren();
        items.length = 0;
        if (Array.isArray(raw)) raw.forEach((r) => addItem(r));
      },
      showErrors(errors) {
        return (
          show(errors.get(key), fieldset) + items.reduce((n, c) => n + c.showErrors(errors), 0)
        );
      },
      clearErrors() {
        errorBox.hidden = true;
        items.forEach((c) => c.clearErrors());
      },
      focus() {
        (items[0] ?? add).focus();
      },
    };
  }

  const { input, files } = scalar(field, id);
  decorate(input);
  const toggle = nullToggle();
  const label = h("label", { for: id }, field.label, ...requiredMark);
  const complete = field.relation ? options.completer?.(field) : null;
  // A relation's input sits with its list box of choices.
  const box =
    complete && input instanceof HTMLInputElement
      ? h("div", { class: "combo" }, input, relationChoices(input, field, complete))
      : input;
  const wrapper = h(
    "div",
    { class: `field kind-${field.kind}` },
    label,
    box,
    ...(toggle ? [toggle] : []),
    ...(helpBox ? [helpBox] : []),
    errorBox,
  );
  if (
    field.default !== undefined &&
    field.default !== null &&
    !(input instanceof HTMLInputElement && input.type === "file")
  ) {
    input.value = field.kind === "enum" ? JSON.stringify(field.default) : asText(field.default);
  }
  return {
    element: wrapper,
    read() {
      if (nullBox?.checked) return null;
      if (input instanceof HTMLInputElement && input.type === "file") return files.get(input);
      return input.value;
    },
    write(raw) {
      if (nullBox) nullBox.checked = raw === null;
      if (input instanceof HTMLInputElement && input.type === "file") return;
      input.value = typeof raw === "string" ? raw : "";
    },
    showErrors(errors) {
      return show(errors.get(key), input);
    },
    clearErrors() {
      errorBox.hidden = true;
      errorBox.textContent = "";
      input.removeAttribute("aria-invalid");
    },
    focus() {
      input.focus();
    },
  };
}

/** The choices of a relation's input: its completion's values in a list box under it,
 * the input becoming a combobox (type to search, arrows and Enter or a click to choose)
 * once completion offers values; a plain input when it offers none or fails. */
function relationChoices(input: HTMLInputElement, field: Field, complete: Completer): HTMLElement {
  const listId = `${input.id}-choices`;
  const list = h("ul", {
    class: "choices",
    role: "listbox",
    id: listId,
    "aria-label": `${field.label} choices`,
    hidden: "",
  });
  let values: string[] = [];
  let active = -1;
  let asked = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const show = (open: boolean): void => {
    list.hidden = !open || !values.length;
    input.setAttribute("aria-expanded", String(!list.hidden));
  };
  const choose = (value: string): void => {
    input.value = value;
    show(false);
  };
  const render = (): void => {
    list.replaceChildren(
      ...values.map((value, i) => {
        const option = h(
          "li",
          { role: "option", id: `${listId}-${i}`, "aria-selected": String(i === active) },
          value,
        );
        option.addEventListener("mousedown", (event) => {
          event.preventDefault(); // the input keeps the focus
          choose(value);
        });
        return option;
      }),
    );
    if (active >= 0) input.setAttribute("aria-activedescendant", `${listId}-${active}`);
    else input.removeAttribute("aria-activedescendant");
  };
  const search = async (typed: string): Promise<string[] | null> => {
    asked += 1;
    const mine = asked;
    const found = await complete(typed).catch(() => []);
    return mine === asked ? found : null; // null: a later search superseded this one
  };
  const update = async (): Promise<void> => {
    const found = await search(input.value);
    if (found === null) return;
    values = found;
    active = -1;
    render();
    show(document.activeElement === input);
  };
  const upgrade = (): void => {
    input.type = "text";
    input.setAttribute("inputmode", field.kind === "integer" ? "numeric" : "text");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => void update(), 150);
    });
    input.addEventListener("focus", () => show(true));
    input.addEventListener("blur", () => show(false));
    input.addEventListener("keydown", (event) => {
      const step = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
      if (step && values.length) {
        event.preventDefault();
        active = (active + step + values.length) % values.length;
        render();
        show(true);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault(); // choosing, not submitting
        choose(values[active] as string);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        show(false);
      }
    });
  };
  void search("").then((found) => {
    if (!found?.length) return; // nothing to offer: the plain input stays
    values = found;
    upgrade();
    render();
    show(document.activeElement === input);
  });
  return list;
}

/** The controls of a whole tool form. */
export function formControls(
  fields: Field[],
  prefix: string,
  options: FormOptions = {},
): Control[] {
  return fields.map((f) => control(f, prefix, options));
}

export function readForm(fields: Field[], controls: Control[]): { [key: string]: RawValue } {
  const raw: { [key: string]: RawValue } = {};
  fields.forEach((f, i) => {
    const value = controls[i]?.read();
    if (value !== undefined) raw[f.name] = value;
  });
  return raw;
}
