import "./style.css";

import { Explorer } from "./app";
import type { Config } from "./rpc";

function boot(): void {
  const root = document.getElementById("mcp-explorer");
  const script = document.getElementById("mcp-explorer-config");
  if (!root || !script?.textContent) return;
  const config = JSON.parse(script.textContent) as Config;
  void new Explorer(root, config).start();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
else boot();
