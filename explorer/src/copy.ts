// "Copy as curl" and "Copy client config": the text is shown (to read and select) and put on
// the clipboard where the browser allows it.

import type { Json, Tool } from "./common";
import { clientConfig, type Config, curlFor, paramHeaders, type Rpc } from "./rpc";

/** The endpoint as an absolute URL (the page's config has its path). */
export function endpointUrl(config: Config): string {
  return new URL(config.endpoint, window.location.href).href;
}

/** Show the text in the target and copy it to the clipboard (silently not, if refused). */
export function copy(text: string, target: HTMLElement): void {
  target.textContent = text;
  target.hidden = false;
  void navigator.clipboard?.writeText(text).catch(() => undefined);
}

/** An MCP client's configuration for this endpoint. */
export function clientConfigText(config: Config, serverName: string): string {
  return clientConfig(serverName, endpointUrl(config));
}

/** A curl command sending this tools/call. */
export function curlText(config: Config, rpc: Rpc, tool: Tool, args: Json): string {
  return curlFor(
    endpointUrl(config),
    rpc.negotiated ?? "",
    rpc.message("tools/call", { name: tool.name, arguments: args }),
    paramHeaders(tool.inputSchema, args),
  );
}
