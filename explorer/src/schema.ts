// From a tool's inputSchema to a form model, and from the form's values back to the
// arguments of tools/call. Pure functions (no DOM), unit-tested with vitest.

export type JSONValue =
  null | boolean | number | string | JSONValue[] | { [key: string]: JSONValue };
export type Schema = { [key: string]: unknown };

/** Server data as text: a string as it is, other values as String() gives them, except objects
 * and arrays, as JSON (not "[object Object]"). */
export function asText(value: JSONValue | undefined): string {
  if (typeof value === "string") return value;
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export type Kind =
  | "string"
  | "text"
  | "number"
  | "integer"
  | "boolean"
  | "enum"
  | "date"
  | "datetime"
  | "time"
  | "array"
  | "object"
  | "file"
  | "json";

export interface Field {
  /** Path of the value in the arguments, e.g. ["address", "city"] or ["tags", "0"]. */
  path: string[];
  name: string;
  label: string;
  kind: Kind;
  required: boolean;
  nullable: boolean;
  description?: string;
  default?: JSONValue;
  /** enum: the values and their labels (JSON-encoded values keep numbers and null apart). */
  options?: { value: JSONValue; label: string }[];
  /** object: its fields; array: the model of one item. */
  fields?: Field[];
  item?: Field;
  minItems?: number;
  maxItems?: number;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  /** A relation (a foreign key's id or slug): the tool that reads the related object, from
   * the description the server gives it ("Id of a book; read it with books_retrieve."). */
  relation?: string;
}

/** A file argument as the server takes it: {filename, content (base64), media_type}. */
export interface FileValue {
  filename: string;
  content: string;
  media_type?: string;
}

/** What the user entered: strings from inputs, files, lists and nested records. */
export type RawValue = string | FileValue | null | RawValue[] | { [key: string]: RawValue };

function asSchema(value: unknown): Schema {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Schema)
    : {};
}

/** Follow a local "$ref": "#/$defs/Name" against the root schema. */
export function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema["$ref"];
  if (typeof ref !== "string" || !ref.startsWith("#/")) return schema;
  let target: unknown = root;
  for (const part of ref.slice(2).split("/")) target = asSchema(target)[part];
  const { $ref: _ignored, ...rest } = schema;
  return { ...asSchema(target), ...rest };
}

function types(schema: Schema): string[] {
  const t = schema["type"];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === "string");
  return typeof t === "string" ? [t] : [];
}

function humanise(name: string): string {
  const words = name.replace(/_/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function isFileSchema(schema: Schema): boolean {
  const content = asSchema(asSchema(schema["properties"])["content"]);
  return content["contentEncoding"] === "base64";
}

function enumOptions(schema: Schema): { value: JSONValue; label: string }[] | undefined {
  const values = schema["enum"];
  if (Array.isArray(values)) {
    const names = schema["enumNames"];
    return values.map((value, i) => ({
      value: value as JSONValue,
      label:
        Array.isArray(names) && typeof names[i] === "string"
          ? names[i]
          : value === null
            ? "(null)"
            : String(value),
    }));
  }
  const oneOf = schema["oneOf"];
  if (Array.isArray(oneOf) && oneOf.length > 0 && oneOf.every((o) => "const" in asSchema(o))) {
    return oneOf.map((o) => {
      const option = asSchema(o);
      const title = option["title"];
      return {
        value: option["const"] as JSONValue,
        label: typeof title === "string" ? title : String(option["const"]),
      };
    });
  }
  return undefined;
}

/** The form model of one property. */
export function fieldFor(
  name: string,
  raw: Schema,
  root: Schema,
  required: boolean,
  path: string[],
): Field {
  let schema = resolve(raw, root);
  let nullable = false;
  // anyOf [X, {type: null}] is a nullable X; anyOf of formats (email or "") keeps the type.
  const anyOf = schema["anyOf"];
  if (Array.isArray(anyOf)) {
    const options = anyOf.map((o) => resolve(asSchema(o), root));
    const nonNull = options.filter((o) => !types(o).includes("null") || types(o).length > 1);
    if (nonNull.length < options.length) nullable = true;
    if (nonNull.length === 1 && !schema["type"]) {
      const { anyOf: _a, ...rest } = schema;
      schema = { ...rest, ...nonNull[0] };
    }
    // anyOf [{format: "email"}, {const: ""}]: an email, or nothing.
    const format = options.map((o) => o["format"]).find((f) => typeof f === "string");
    if (format && !schema["format"]) schema = { ...schema, format };
  }
  const kinds = types(schema);
  if (kinds.includes("null")) nullable = true;
  const concrete = kinds.filter((k) => k !== "null");
  const field: Field = {
    path,
    name,
    label: typeof schema["title"] === "string" ? schema["title"] : humanise(name),
    kind: "json",
    required,
    nullable,
  };
  if (typeof schema["description"] === "string") field.description = schema["description"];
  if ("default" in schema) field.default = schema["default"] as JSONValue;
  for (const key of ["pattern", "format"] as const) {
    if (typeof schema[key] === "string") field[key] = schema[key];
  }
  for (const key of [
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
  ] as const) {
    if (typeof schema[key] === "number") field[key] = schema[key];
  }
  const options = enumOptions(schema);
  if (options) {
    field.kind = "enum";
    field.options = options.filter((o) => o.value !== null);
    if (options.some((o) => o.value === null)) field.nullable = true;
    return field;
  }
  if (concrete.length !== 1) return field; // several types: JSON text
  const type = concrete[0];
  const reader = relationReader(field.description);
  if (type === "string") {
    const format = field.format;
    field.kind =
      format === "date"
        ? "date"
        : format === "date-time"
          ? "datetime"
          : format === "time"
            ? "time"
            : "string";
    // A textarea for long text (a CharField over 200 characters); a line for the rest, query
    // parameters such as "search" included.
    if (field.kind === "string" && field.maxLength !== undefined && field.maxLength > 200)
      field.kind = "text";
  } else if (type === "integer" || type === "number" || type === "boolean") {
    field.kind = type;
  } else if (type === "object") {
    if (isFileSchema(schema)) {
      field.kind = "file";
    } else if (schema["properties"] && typeof schema["properties"] === "object") {
      field.kind = "object";
      field.fields = fieldsOf(schema, root, path);
    }
  } else if (type === "array") {
    const items = asSchema(schema["items"]);
    field.kind = "array";
    field.item = fieldFor("item", items, root, false, [...path, "*"]);
    field.item.label = `${field.label} item`;
    if (reader && ["integer", "string"].includes(field.item.kind)) field.item.relation = reader;
  }
  if (reader && (field.kind === "integer" || field.kind === "string")) field.relation = reader;
  return field;
}

/** The tool a relation's description names as its reader ("... read it with X."). */
export function relationReader(description: string | undefined): string | undefined {
  return /\bread (?:it|one) with (\w+)\.?$/.exec(description ?? "")?.[1];
}

/** The fields of an object schema (a tool's inputSchema), in property order. */
export function fieldsOf(schema: Schema, root: Schema = schema, path: string[] = []): Field[] {
  const resolved = resolve(schema, root);
  const properties = asSchema(resolved["properties"]);
  const required = new Set(
    Array.isArray(resolved["required"]) ? (resolved["required"] as string[]) : [],
  );
  return Object.entries(properties).map(([name, sub]) =>
    fieldFor(name, asSchema(sub), root, required.has(name), [...path, name]),
  );
}

export class InputError extends Error {
  constructor(
    public path: string[],
    message: string,
  ) {
    super(message);
  }
}

/** The JSON value a field's raw input stands for; undefined means "leave it out". */
export function valueOf(field: Field, raw: RawValue | undefined): JSONValue | undefined {
  if (raw === null) return field.nullable ? null : undefined;
  if (raw === undefined) return undefined;
  switch (field.kind) {
    case "object": {
      if (typeof raw !== "object" || Array.isArray(raw) || raw === null || "content" in raw)
        return undefined;
      const record = raw;
      const result: { [key: string]: JSONValue } = {};
      for (const sub of field.fields ?? []) {
        const value = valueOf(sub, record[sub.name]);
        if (value !== undefined) result[sub.name] = value;
      }
      return Object.keys(result).length || field.required ? result : undefined;
    }
    case "array": {
      if (!Array.isArray(raw)) return undefined;
      const item = field.item as Field;
      const values = raw
        .map((r, i) => valueOf({ ...item, path: [...field.path, String(i)] }, r))
        .filter((v): v is JSONValue => v !== undefined);
      return values.length || field.required ? values : undefined;
    }
    case "file": {
      if (typeof raw === "object" && !Array.isArray(raw) && raw !== null && "content" in raw) {
        return { ...(raw as FileValue) };
      }
      return undefined;
    }
    default:
      break;
  }
  if (typeof raw !== "string") return undefined;
  const text = raw;
  if (text === "") {
    // An empty required string is sent (the server says what is wrong with it); an empty
    // optional field is left out so that its default applies.
    return field.required && (field.kind === "string" || field.kind === "text") ? "" : undefined;
  }
  switch (field.kind) {
    case "integer":
    case "number": {
      const number = Number(text);
      if (!Number.isFinite(number) || (field.kind === "integer" && !Number.isInteger(number))) {
        throw new InputError(
          field.path,
          `Enter ${field.kind === "integer" ? "a whole number" : "a number"}.`,
        );
      }
      return number;
    }
    case "boolean":
      if (text !== "true" && text !== "false")
        throw new InputError(field.path, "Choose true or false.");
      return text === "true";
    case "enum": {
      // Options are encoded as JSON so that 1 and "1" stay apart.
      try {
        return JSON.parse(text) as JSONValue;
      } catch {
        throw new InputError(field.path, "Choose one of the options.");
      }
    }
    case "datetime":
      // <input type=datetime-local> gives "2026-11-30T10:00"; the server takes ISO 8601.
      return text.length === 16 ? `${text}:00` : text;
    case "json":
      try {
        return JSON.parse(text) as JSONValue;
      } catch {
        throw new InputError(field.path, "Enter valid JSON.");
      }
    default:
      return text;
  }
}

/** The arguments of a tools/call from the raw values of a form (keyed by field name). */
export function toArguments(
  fields: Field[],
  raw: { [key: string]: RawValue },
): { [key: string]: JSONValue } {
  const args: { [key: string]: JSONValue } = {};
  for (const field of fields) {
    const value = valueOf(field, raw[field.name]);
    if (value !== undefined) args[field.name] = value;
  }
  return args;
}

/** The raw form value that shows ``value`` in ``field`` (to fill a form from history). */
export function rawOf(field: Field, value: JSONValue | undefined): RawValue | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  switch (field.kind) {
    case "object": {
      const record = asSchema(value) as { [key: string]: JSONValue };
      const out: { [key: string]: RawValue } = {};
      for (const sub of field.fields ?? []) {
        const r = rawOf(sub, record[sub.name]);
        if (r !== undefined) out[sub.name] = r;
      }
      return out;
    }
    case "array":
      return Array.isArray(value)
        ? value.map((v) => rawOf(field.item as Field, v) ?? "")
        : undefined;
    case "file":
      return value as unknown as FileValue;
    case "enum":
    case "json":
      return JSON.stringify(value);
    case "datetime":
      return typeof value === "string" ? value.slice(0, 16) : asText(value);
    default:
      return asText(value);
  }
}

/** Field messages of a failed call: DRF's error body (the second text block of an
 * isError result: {"field": ["message"], "nested": {"field": [...]}}) as path → messages,
 * plus messages that belong to no field. */
export function fieldErrors(result: { content?: { type: string; text?: string }[] }): {
  fields: Map<string, string[]>;
  general: string[];
} {
  const fields = new Map<string, string[]>();
  const general: string[] = [];
  const blocks = (result.content ?? []).filter(
    (b) => b.type === "text" && typeof b.text === "string",
  );
  let body: unknown = undefined;
  for (const block of blocks.slice(1)) {
    try {
      body = JSON.parse(block.text as string);
      break;
    } catch {
      continue;
    }
  }
  const walk = (value: unknown, path: string[]): void => {
    if (Array.isArray(value) && value.every((m) => typeof m === "string")) {
      const key = path.join(".");
      if (!path.length || key === "non_field_errors" || key === "detail") general.push(...value);
      else fields.set(key, [...(fields.get(key) ?? []), ...value]);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, String(i)]));
    } else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    } else if (typeof value === "string") {
      if (!path.length || path.join(".") === "detail") general.push(value);
      else fields.set(path.join("."), [value]);
    }
  };
  if (body !== undefined) walk(body, []);
  if (!fields.size && !general.length && blocks[0]?.text) general.push(blocks[0].text);
  return { fields, general };
}
