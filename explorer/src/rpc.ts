// JSON-RPC over the same endpoint the page came from, with the browser's Django session
// (cookies) and CSRF token: calls run as the logged-in user, exactly as over REST.

import type { JSONValue } from "./schema";

export const PROTOCOL_VERSION = "2025-11-25";

export class RpcError extends Error {
  constructor(
    public code: number,
    message: string,
    public data?: unknown,
  ) {
    super(message);
  }
}

export interface Config {
  endpoint: string;
  csrfToken: string;
  user: string | null;
  loginUrl: string | null;
  serverName: string;
  /** Tool name -> the resource it belongs to (its heading in the tool list); the tools it
   * leaves out (function tools), or all of them from an older server, are "other tools". */
  toolGroups?: Record<string, string>;
}

type Answer<T> = { result?: T; error?: { code: number; message: string; data?: unknown } };

/** What a streamed call does with what the server sends before its response. */
export interface StreamHandlers {
  /** notifications/progress, notifications/message and others. */
  notification?: (method: string, params: { [key: string]: JSONValue }) => void;
  /** A request of the server's (elicitation/create): its result; a throw answers an error. */
  request?: (
    method: string,
    params: { [key: string]: JSONValue },
  ) => Promise<{ [key: string]: JSONValue }>;
}

/** The data of an SSE body's events, as its text arrives in chunks. */
export class EventStream {
  private buffer = "";

  push(chunk: string): string[] {
    this.buffer += chunk.replace(/\r\n?/g, "\n");
    const events: string[] = [];
    let end = this.buffer.indexOf("\n\n");
    while (end >= 0) {
      const data = this.buffer
        .slice(0, end)
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(line.startsWith("data: ") ? 6 : 5));
      if (data.length) events.push(data.join("\n"));
      this.buffer = this.buffer.slice(end + 2);
      end = this.buffer.indexOf("\n\n");
    }
    return events;
  }
}

export class Rpc {
  private id = 0;
  negotiated: string | null = null;

  constructor(private config: Config) {}

  /** The body a request sends (for "copy as curl" too). */
  message(method: string, params: { [key: string]: JSONValue }): { [key: string]: JSONValue } {
    this.id += 1;
    return { jsonrpc: "2.0", id: this.id, method, params };
  }

  headers(): Record<string, string> {
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
      "X-CSRFToken": this.config.csrfToken,
    };
    if (this.negotiated) headers["MCP-Protocol-Version"] = this.negotiated;
    return headers;
  }

  async call<T = { [key: string]: JSONValue }>(
    method: string,
    params: { [key: string]: JSONValue } = {},
    extraHeaders: Record<string, string> = {},
    handlers: StreamHandlers = {},
  ): Promise<T> {
    const response = await fetch(this.config.endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: { ...this.headers(), ...extraHeaders },
      body: JSON.stringify(this.message(method, params)),
    });
    const type = response.headers.get("Content-Type") ?? "";
    let answer: Answer<T> | undefined;
    if (type.startsWith("text/event-stream")) {
      // A streamed call: notifications and the server's requests while it runs, then the
      // response; each event is handled as it arrives.
      const events = new EventStream();
      const take = (data: string): void => {
        const found = this.dispatch<T>(data, handlers);
        if (found) answer = found;
      };
      const reader = response.body?.getReader();
      if (reader) {
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          events.push(decoder.decode(value, { stream: true })).forEach(take);
        }
      } else {
        events.push(await response.text()).forEach(take);
      }
      events.push("\n\n").forEach(take);
    } else if (type.startsWith("application/json")) {
      answer = (await response.json()) as Answer<T>;
    }
    if (!answer) throw new RpcError(-32603, `HTTP ${response.status}: no JSON-RPC answer.`);
    if (answer.error)
      throw new RpcError(answer.error.code, answer.error.message, answer.error.data);
    return answer.result as T;
  }

  /** One event of a stream: the response (returned), a notification or a request of the
   * server's (given to the handlers; a request's answer is POSTed back). */
  private dispatch<T>(data: string, handlers: StreamHandlers): Answer<T> | undefined {
    let message: { [key: string]: JSONValue };
    try {
      message = JSON.parse(data) as { [key: string]: JSONValue };
    } catch {
      return undefined;
    }
    const params = (message.params ?? {}) as { [key: string]: JSONValue };
    if (typeof message.method === "string") {
      if (message.id === undefined) handlers.notification?.(message.method, params);
      else void this.answer(message.id, message.method, params, handlers);
      return undefined;
    }
    return "result" in message || "error" in message ? message : undefined;
  }

  /** Answer a request of the server's with a JSON-RPC response (an error for methods this
   * page does not handle). */
  private async answer(
    id: JSONValue,
    method: string,
    params: { [key: string]: JSONValue },
    handlers: StreamHandlers,
  ): Promise<void> {
    const reply: { [key: string]: JSONValue } = { jsonrpc: "2.0", id };
    try {
      if (!handlers.request) throw new RpcError(-32601, `The explorer does not answer ${method}.`);
      reply.result = await handlers.request(method, params);
    } catch (error) {
      const code = error instanceof RpcError ? error.code : -32603;
      reply.error = { code, message: (error as Error).message };
    }
    await fetch(this.config.endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: this.headers(),
      body: JSON.stringify(reply),
    });
  }

  async initialize(): Promise<{ [key: string]: JSONValue }> {
    const result = await this.call("initialize", {
      protocolVersion: PROTOCOL_VERSION,
      // The page shows the server's questions (elicitation/create) as forms.
      capabilities: { elicitation: { form: {} } },
      clientInfo: { name: "drf-mcp-explorer", version: "1" },
    });
    this.negotiated =
      typeof result.protocolVersion === "string" ? result.protocolVersion : PROTOCOL_VERSION;
    await this.notify("notifications/initialized");
    return result;
  }

  async notify(method: string): Promise<void> {
    await fetch(this.config.endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: this.headers(),
      body: JSON.stringify({ jsonrpc: "2.0", method }),
    });
  }

  /** Every page of a paged list method. */
  async list(method: string, key: string): Promise<{ [key: string]: JSONValue }[]> {
    const items: { [key: string]: JSONValue }[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.call(method, cursor ? { cursor } : {});
      items.push(...((page[key] as { [key: string]: JSONValue }[] | undefined) ?? []));
      cursor = typeof page.nextCursor === "string" ? page.nextCursor : undefined;
    } while (cursor);
    return items;
  }
}

const PLAIN = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/;

/** The header value of an argument (SEP-2243): text as it is when it is plain visible
 * ASCII, integers in decimal, booleans true/false, anything else of a string as
 * =?base64?<UTF-8 base64>?=; null for values sent without a header. */
export function paramHeaderValue(value: JSONValue | undefined): string | null {
  if (value === null || value === undefined || typeof value === "object") return null;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : null;
  if (PLAIN.test(value)) return value;
  const bytes = new TextEncoder().encode(value);
  return `=?base64?${btoa(String.fromCharCode(...bytes))}?=`;
}

/** The Mcp-Param-* headers of a tools/call: one per argument the tool's inputSchema
 * annotates with "x-mcp-header" (following properties), for the arguments given. */
export function paramHeaders(
  schema: unknown,
  args: { [key: string]: JSONValue },
): Record<string, string> {
  const headers: Record<string, string> = {};
  const isObject = (value: unknown): value is { [key: string]: unknown } =>
    value !== null && typeof value === "object" && !Array.isArray(value);
  const walk = (node: unknown, value: unknown): void => {
    if (!isObject(node) || !isObject(node.properties)) return;
    const values = isObject(value) ? value : undefined;
    for (const [name, property] of Object.entries(node.properties)) {
      if (!isObject(property)) continue;
      const header = property["x-mcp-header"];
      const argument = values?.[name] as JSONValue | undefined;
      if (typeof header === "string") {
        const encoded = paramHeaderValue(argument);
        if (encoded !== null) headers[`Mcp-Param-${header}`] = encoded;
      }
      walk(property, argument);
    }
  };
  walk(schema, args);
  return headers;
}

/** A shell command that sends the same request (credentials left for the user to add). */
export function curlFor(
  endpoint: string,
  version: string,
  body: unknown,
  headers: Record<string, string> = {},
): string {
  const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
  return [
    `curl -X POST ${quote(endpoint)}`,
    `-H 'Content-Type: application/json'`,
    `-H 'Accept: application/json, text/event-stream'`,
    `-H ${quote(`MCP-Protocol-Version: ${version}`)}`,
    ...Object.entries(headers).map(([name, value]) => `-H ${quote(`${name}: ${value}`)}`),
    `-H 'Authorization: Token <your token>'`,
    `-d ${quote(JSON.stringify(body))}`,
  ].join(" \\\n  ");
}

/** An MCP client configuration (Claude Desktop, VS Code and others read this shape). */
export function clientConfig(serverName: string, endpoint: string): string {
  const config = {
    mcpServers: {
      [serverName]: {
        type: "http",
        url: endpoint,
        headers: { Authorization: "Token <your token>" },
      },
    },
  };
  return JSON.stringify(config, null, 2);
}
