// The official TypeScript MCP SDK (v1, pinned in package.json) against a live server:
// node --experimental-strip-types crud.ts URL TOKEN
// Prints one JSON line with what it saw; exits non-zero on any failure.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

type Structured = Record<string, unknown> & { id?: number; results?: Array<{ id: number }> };

function check(condition: boolean, message: string): void {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
}

async function main(): Promise<void> {
  const [url, token] = process.argv.slice(2);
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Token ${token}` } },
  });
  const client = new Client({ name: "drf-mcp-interop-ts", version: "1.0.0" });
  await client.connect(transport);

  const server = client.getServerVersion();
  const { tools } = await client.listTools();
  const names = tools.map((tool) => tool.name);
  check(names.includes("customers_create"), "customers_create listed");

  const created = await client.callTool({
    name: "customers_create",
    arguments: { name: "From TypeScript", tier: "enterprise", credit_limit: "1.5" },
  });
  check(!created.isError, `create succeeded: ${JSON.stringify(created.content)}`);
  const pk = (created.structuredContent as Structured).id as number;

  const listed = await client.callTool({ name: "customers_list", arguments: { page_size: 50 } });
  const ids = ((listed.structuredContent as Structured).results ?? []).map((c) => c.id);
  check(ids.includes(pk), "created customer is listed");

  const fetched = await client.callTool({ name: "customers_retrieve", arguments: { pk } });
  check((fetched.structuredContent as Structured).credit_limit === "1.50", "decimal as DRF renders it");

  const patched = await client.callTool({
    name: "customers_partial_update",
    arguments: { pk, notes: "patched" },
  });
  check((patched.structuredContent as Structured).notes === "patched", "partial update applied");

  const invalid = await client.callTool({ name: "customers_create", arguments: { tier: "gold" } });
  check(invalid.isError === true, "validation error is a tool error");

  const deleted = await client.callTool({ name: "customers_destroy", arguments: { pk } });
  check(!deleted.isError, "destroy succeeded");
  const gone = await client.callTool({ name: "customers_retrieve", arguments: { pk } });
  check(gone.isError === true, "retrieve after destroy is a tool error");

  await client.close();
  console.log(
    JSON.stringify({
      ok: true,
      server: server?.name,
      protocolVersion: transport.protocolVersion,
      tools: names.length,
      invalid: invalid.content,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
