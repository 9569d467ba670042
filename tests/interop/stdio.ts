// The official TypeScript MCP SDK's stdio transport against `manage.py mcp_stdio`:
// node --experimental-strip-types stdio.ts PYTHON -- ARGS...
// Prints one JSON line with what it saw; exits non-zero on any failure.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const transport = new StdioClientTransport({
    command,
    args,
    env: process.env as Record<string, string>,
    stderr: "inherit",
  });
  const client = new Client({ name: "drf-mcp-interop-ts-stdio", version: "1.0.0" });
  await client.connect(transport);
  const { tools } = await client.listTools();
  const created = await client.callTool({
    name: "customers_create",
    arguments: { name: "From TypeScript over stdio" },
  });
  const structured = created.structuredContent as Record<string, unknown> | undefined;
  console.log(
    JSON.stringify({
      ok: !created.isError,
      server: client.getServerVersion()?.name,
      tools: tools.length,
      owner: structured?.owner,
    }),
  );
  await client.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
