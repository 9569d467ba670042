import { describe, expect, it } from "vitest";

import { curlFor, paramHeaders, paramHeaderValue } from "./rpc";

describe("Mcp-Param-* headers (SEP-2243)", () => {
  const schema = {
    type: "object",
    properties: {
      region: { type: "string", "x-mcp-header": "Region" },
      count: { type: "integer", "x-mcp-header": "Count" },
      dry: { type: "boolean", "x-mcp-header": "Dry-Run" },
      note: { type: "string" },
      nested: {
        type: "object",
        properties: { tenant: { type: "string", "x-mcp-header": "Tenant" } },
      },
    },
  };

  it("mirrors the annotated arguments given, and only those", () => {
    expect(
      paramHeaders(schema, {
        region: "eu-west",
        count: 3,
        dry: false,
        note: "x",
        nested: { tenant: "acme" },
      }),
    ).toEqual({
      "Mcp-Param-Region": "eu-west",
      "Mcp-Param-Count": "3",
      "Mcp-Param-Dry-Run": "false",
      "Mcp-Param-Tenant": "acme",
    });
    expect(paramHeaders(schema, { note: "x" })).toEqual({});
    expect(paramHeaders(undefined, { region: "eu" })).toEqual({});
  });

  it("sends what is not plain ASCII as =?base64?...?=", () => {
    expect(paramHeaderValue("münchen")).toBe("=?base64?bcO8bmNoZW4=?=");
    expect(paramHeaderValue(" padded")).toBe("=?base64?IHBhZGRlZA==?=");
    expect(paramHeaderValue(null)).toBeNull();
    expect(paramHeaderValue(1.5)).toBeNull();
  });

  it("puts them in the curl command too", () => {
    const command = curlFor("http://x/mcp/", "2025-11-25", {}, { "Mcp-Param-Region": "eu" });
    expect(command).toContain("-H 'Mcp-Param-Region: eu'");
  });
});
