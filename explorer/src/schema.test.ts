import { describe, expect, it } from "vitest";

import {
  fieldErrors,
  fieldsOf,
  InputError,
  type JSONValue,
  type RawValue,
  rawOf,
  toArguments,
  type Schema,
} from "./schema";

// Shapes taken from the server's own inputSchemas (tests/snapshots/tools_list.json).
const CUSTOMER: Schema = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: { type: "string", maxLength: 100, pattern: "\\S" },
    email: { type: "string", anyOf: [{ format: "email" }, { const: "" }] },
    tier: { type: "string", enum: ["free", "pro", "enterprise"], default: "free" },
    vip: { type: "boolean", default: false },
    category: { type: ["integer", "null"] },
    notes: { type: ["string", "null"] },
    summary: { type: "string", maxLength: 2000 },
    credit_limit: { type: "string", pattern: "^-?\\d{0,8}(?:\\.\\d{0,2})?$" },
    due: { type: "string", format: "date" },
    when: { type: "string", format: "date-time" },
    at: { type: "string", format: "time" },
    maybe_colour: { type: ["string", "null"], enum: ["r", "g", "b", null] },
    tags: { type: "array", items: { type: "string", maxLength: 20 }, minItems: 1, maxItems: 3 },
    ratio: { type: "number", minimum: 0 },
    blob: { type: ["object", "array", "string", "number", "boolean"] },
  },
};

const NESTED: Schema = {
  type: "object",
  $defs: {
    Part: {
      type: "object",
      required: ["label"],
      properties: {
        label: { type: "string", maxLength: 20 },
        weight: { type: "integer", minimum: 0 },
      },
    },
  },
  properties: {
    part: { $ref: "#/$defs/Part" },
    parts: { type: "array", items: { $ref: "#/$defs/Part" } },
    photo: {
      type: "object",
      required: ["filename", "content"],
      properties: {
        filename: { type: "string" },
        content: { type: "string", contentEncoding: "base64" },
        media_type: { type: "string" },
      },
    },
    nullable_part: { anyOf: [{ $ref: "#/$defs/Part" }, { type: "null" }] },
  },
};

describe("schema to form", () => {
  const fields = Object.fromEntries(fieldsOf(CUSTOMER).map((f) => [f.name, f]));

  it("gives each property an input kind", () => {
    expect(Object.fromEntries(Object.entries(fields).map(([n, f]) => [n, f.kind]))).toEqual({
      name: "string",
      email: "string",
      tier: "enum",
      vip: "boolean",
      category: "integer",
      notes: "string",
      credit_limit: "string",
      due: "date",
      when: "datetime",
      at: "time",
      maybe_colour: "enum",
      tags: "array",
      ratio: "number",
      blob: "json",
      summary: "text",
    });
  });

  it("keeps labels, required, nullable, defaults and limits", () => {
    expect(fields.name).toMatchObject({
      label: "Name",
      required: true,
      nullable: false,
      maxLength: 100,
    });
    expect(fields.tier).toMatchObject({ default: "free", required: false });
    expect(fields.tier?.options?.map((o) => o.value)).toEqual(["free", "pro", "enterprise"]);
    expect(fields.category?.nullable).toBe(true);
    expect(fields.maybe_colour).toMatchObject({ nullable: true });
    expect(fields.maybe_colour?.options?.map((o) => o.value)).toEqual(["r", "g", "b"]);
    expect(fields.tags).toMatchObject({ minItems: 1, maxItems: 3 });
    expect(fields.tags?.item).toMatchObject({ kind: "string", label: "Tags item" });
    expect(fields.ratio?.minimum).toBe(0);
  });

  it("follows $ref, nests objects, finds files and nullable objects", () => {
    const nested = Object.fromEntries(fieldsOf(NESTED).map((f) => [f.name, f]));
    expect(nested.part?.kind).toBe("object");
    expect(nested.part?.fields?.map((f) => [f.name, f.kind, f.required, f.path.join(".")])).toEqual(
      [
        ["label", "string", true, "part.label"],
        ["weight", "integer", false, "part.weight"],
      ],
    );
    expect(nested.parts?.item?.kind).toBe("object");
    expect(nested.photo?.kind).toBe("file");
    expect(nested.nullable_part).toMatchObject({ kind: "object", nullable: true });
  });
});

describe("form to arguments", () => {
  const fields = fieldsOf(CUSTOMER);

  it("types the values and leaves empty optional fields out", () => {
    expect(
      toArguments(fields, {
        name: "Ann",
        email: "",
        tier: '"pro"',
        vip: "true",
        category: "4",
        notes: null,
        due: "2026-12-01",
        when: "2026-12-01T09:30",
        maybe_colour: "",
        tags: ["a", "", "b"],
        ratio: "0.5",
        blob: '{"x": [1]}',
      }),
    ).toEqual({
      name: "Ann",
      tier: "pro",
      vip: true,
      category: 4,
      notes: null,
      due: "2026-12-01",
      when: "2026-12-01T09:30:00",
      tags: ["a", "b"],
      ratio: 0.5,
      blob: { x: [1] },
    });
  });

  it("sends an empty required string, for the server to explain", () => {
    expect(toArguments(fields, { name: "" })).toEqual({ name: "" });
  });

  it("refuses what cannot be typed, naming the field", () => {
    expect(() => toArguments(fields, { name: "x", category: "4.5" })).toThrowError(InputError);
    try {
      toArguments(fields, { name: "x", blob: "{oops" });
    } catch (error) {
      expect((error as InputError).path).toEqual(["blob"]);
      expect((error as InputError).message).toBe("Enter valid JSON.");
    }
  });

  it("builds nested objects, arrays of objects and files", () => {
    const nested = fieldsOf(NESTED);
    const file = { filename: "a.png", content: "iVBO", media_type: "image/png" };
    expect(
      toArguments(nested, {
        part: { label: "wheel", weight: "3" },
        parts: [
          { label: "a", weight: "" },
          { label: "b", weight: "2" },
        ],
        photo: file,
        nullable_part: null,
      }),
    ).toEqual({
      part: { label: "wheel", weight: 3 },
      parts: [{ label: "a" }, { label: "b", weight: 2 }],
      photo: file,
      nullable_part: null,
    });
  });

  it("round-trips arguments through the form values (call history)", () => {
    const args: Record<string, JSONValue> = {
      name: "Ann",
      tier: "pro",
      vip: false,
      category: null,
      tags: ["x"],
      when: "2026-12-01T09:30:00",
    };
    const raw = Object.fromEntries(
      fields.map((f) => [f.name, rawOf(f, args[f.name])]).filter(([, v]) => v !== undefined),
    ) as Record<string, RawValue>;
    expect(toArguments(fields, raw)).toEqual(args);
  });
});

describe("errors next to fields", () => {
  it("maps DRF's error body to field paths", () => {
    const result = {
      isError: true,
      content: [
        {
          type: "text",
          text: "Error: HTTP 400 Bad Request. Fix the arguments named in the errors and call the tool again.",
        },
        {
          type: "text",
          text: JSON.stringify({
            name: ["This field may not be blank."],
            part: { weight: ["Ensure this value is greater than or equal to 0."] },
            parts: [{}, { label: ["This field is required."] }],
            non_field_errors: ["The pair must be unique."],
          }),
        },
      ],
    };
    const { fields, general } = fieldErrors(result);
    expect(Object.fromEntries(fields)).toEqual({
      name: ["This field may not be blank."],
      "part.weight": ["Ensure this value is greater than or equal to 0."],
      "parts.1.label": ["This field is required."],
    });
    expect(general).toEqual(["The pair must be unique."]);
  });

  it("falls back to the first message when the body is not JSON", () => {
    const { fields, general } = fieldErrors({
      content: [{ type: "text", text: "Error: HTTP 403 Forbidden." }],
    });
    expect(fields.size).toBe(0);
    expect(general).toEqual(["Error: HTTP 403 Forbidden."]);
  });
});
