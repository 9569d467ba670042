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
  ): Promise<T> {
    const response = await fetch(this.config.endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: this.headers(),
      body: JSON.stringify(this.message(method, params)),
    });
    const type = response.headers.get("Content-Type") ?? "";
    let answer:
      { result?: T; error?: { code: number; message: string; data?: unknown } } | undefined;
    if (type.startsWith("text/event-stream")) {
      // A streamed call: progress and log events, then the response (the last data line).
      const events = (await response.text())
        .split("\n\n")
        .map((block) =>
          block
            .split("\n")
            .filter((line) => line.startsWith("data: "))
            .map((line) => line.slice(6))
            .join("\n"),
        )
        .filter(Boolean)
        .map((data) => JSON.parse(data) as { id?: unknown; result?: T; error?: never });
      answer = events.reverse().find((e) => "result" in e || "error" in e);
    } else if (type.startsWith("application/json")) {
      answer = (await response.json()) as typeof answer;
    }
    if (!answer) throw new RpcError(-32603, `HTTP ${response.status}: no JSON-RPC answer.`);
    if (answer.error)
      throw new RpcError(answer.error.code, answer.error.message, answer.error.data);
    return answer.result as T;
  }

  async initialize(): Promise<{ [key: string]: JSONValue }> {
    const result = await this.call("initialize", {
      protocolVersion: PROTOCOL_VERSION,
      capabilities: {},
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

/** A shell command that sends the same request (credentials left for the user to add). */
export function curlFor(endpoint: string, version: string, body: unknown): string {
  const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
  return [
    `curl -X POST ${quote(endpoint)}`,
    `-H 'Content-Type: application/json'`,
    `-H 'Accept: application/json, text/event-stream'`,
    `-H ${quote(`MCP-Protocol-Version: ${version}`)}`,
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
