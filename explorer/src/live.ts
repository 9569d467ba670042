// What a streamed call shows while it runs: its progress (notifications/progress) as a bar,
// its log messages (notifications/message) as lines, and the server's questions
// (elicitation/create) as forms whose answer is sent back.

import type { Json } from "./common";
import { formControls, h, readForm } from "./form";
import { asText, fieldsOf, InputError, type Schema, toArguments } from "./schema";

/** The progress bar's text: the message and, with a total, the percentage. */
export function progressText(params: Json): string {
  const progress = Number(params.progress);
  const total = Number(params.total);
  const message = typeof params.message === "string" ? params.message : "Working";
  if (!Number.isFinite(total) || total <= 0) return message;
  return `${message} (${Math.round((Math.min(progress, total) / total) * 100)}%)`;
}

/** A log message as one line: its level, its logger, its data as text. */
export function logLine(params: Json): string {
  const logger = typeof params.logger === "string" ? ` ${params.logger}` : "";
  return `${asText(params.level ?? "info")}${logger}: ${asText(params.data ?? "")}`;
}

export class LiveView {
  readonly element = h("div", { class: "live" });
  private bar: HTMLProgressElement | null = null;
  private label: HTMLElement | null = null;
  private log: HTMLElement | null = null;

  notify(method: string, params: Json): void {
    if (method === "notifications/progress") this.progress(params);
    else if (method === "notifications/message") this.message(params);
  }

  private progress(params: Json): void {
    if (!this.bar || !this.label) {
      this.label = h("span", { class: "progress-text", id: `progress-${++live}` });
      this.bar = h("progress", { "aria-labelledby": this.label.id });
      this.element.prepend(h("div", { class: "progress" }, this.bar, this.label));
    }
    const total = Number(params.total);
    if (Number.isFinite(total) && total > 0) {
      this.bar.max = total;
      this.bar.value = Math.min(Number(params.progress) || 0, total);
    } else {
      this.bar.removeAttribute("value"); // indeterminate
    }
    this.label.textContent = progressText(params);
  }

  private message(params: Json): void {
    if (!this.log) {
      this.log = h("ul", { class: "log" });
      this.element.append(h("p", { class: "log-title" }, "Log"), this.log);
    }
    const level = asText(params.level ?? "info").replace(/[^a-z]/g, "");
    this.log.append(h("li", { class: `level-${level}` }, logLine(params)));
  }
}

let live = 0;

/** The ElicitResult of a question. */
export type Answer = { action: "accept"; content?: Json } | { action: "decline" | "cancel" };

/** An elicitation/create request as a form: its message, its requestedSchema's fields, and
 * Accept, Decline and Cancel; `answer` settles with what the user chose. */
export function question(params: Json): { element: HTMLElement; answer: Promise<Answer> } {
  live += 1;
  const id = `question-${live}`;
  const url = params.mode === "url" && typeof params.url === "string" ? params.url : null;
  const fields = url ? [] : fieldsOf((params.requestedSchema ?? {}) as Schema);
  const controls = formControls(fields, id);
  const accept = h("button", { type: "submit", class: "primary" }, url ? "Opened" : "Accept");
  const decline = h("button", { type: "button" }, "Decline");
  const cancel = h("button", { type: "button" }, "Cancel");
  const form = h(
    "form",
    { class: "question", "aria-labelledby": `${id}-text`, novalidate: "" },
    h("p", { class: "question-title" }, "The tool asks:"),
    h("p", { id: `${id}-text`, class: "question-text" }, asText(params.message ?? "")),
    ...(url ? [h("p", {}, h("a", { href: url, target: "_blank", rel: "noopener" }, url))] : []),
    ...controls.map((c) => c.element),
    h("div", { class: "actions" }, accept, decline, cancel),
  );
  const answer = new Promise<Answer>((resolve) => {
    const done = (chosen: Answer): void => {
      const text = asText(params.message ?? "");
      form.replaceWith(h("p", { class: "answered" }, `${text} You answered: ${chosen.action}.`));
      resolve(chosen);
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      controls.forEach((c) => c.clearErrors());
      try {
        const content = toArguments(fields, readForm(fields, controls));
        const missing = fields.find((f) => f.required && !(f.name in content));
        if (missing) throw new InputError(missing.path, "This field is required.");
        done(url ? { action: "accept" } : { action: "accept", content });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const errors = new Map([[error.path.join("."), [error.message]]]);
        controls.forEach((c) => c.showErrors(errors));
        form.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
      }
    });
    decline.addEventListener("click", () => done({ action: "decline" }));
    cancel.addEventListener("click", () => done({ action: "cancel" }));
  });
  return { element: form, answer };
}
