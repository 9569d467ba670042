// What the panels share: server data as JSON objects, a tool as tools/list gives it, and the
// small elements more than one panel shows (a failure, a tool's badges).

import { h } from "./form";
import type { JSONValue, Schema } from "./schema";

export type Json = { [key: string]: JSONValue };

export interface Tool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Schema;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean };
}

export function failure(message: string): HTMLElement {
  return h("p", { class: "status error", role: "alert" }, message);
}

function badge(text: string, kind: string): HTMLElement {
  return h("span", { class: `badge ${kind}` }, text);
}

/** What a tool does to data, from its annotations: read-only, destructive or writes. */
export function badges(tool: Tool): HTMLElement[] {
  const a = tool.annotations ?? {};
  const out: HTMLElement[] = [];
  if (a.readOnlyHint) out.push(badge("read-only", "read-only"));
  else if (a.destructiveHint) out.push(badge("destructive", "destructive"));
  else out.push(badge("writes", "writes"));
  if (a.idempotentHint && !a.readOnlyHint) out.push(badge("idempotent", "idempotent"));
  return out;
}
