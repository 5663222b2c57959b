//! Prepares an activity's config JSON Schema for the generated form: readable titles and a
//! uiSchema that picks the custom widgets (expressions, durations, paths, cron). Pure.
import { customizeValidator } from "@rjsf/validator-ajv8";

type Schema = Record<string, unknown>;
type Ui = Record<string, unknown>;

/** Field names that read badly when merely capitalised (abbreviations, jargon). */
const TITLES: Record<string, string> = {
  cwd: "Working directory",
  url: "URL",
  env: "Environment variables",
  ok_exit_codes: "OK exit codes",
  expect_status: "Expected status",
  per_second: "Per second",
  max_iterations: "Maximum iterations",
  op: "Operator",
};

const humanize = (key: string) => {
  if (TITLES[key]) return TITLES[key];
  const s = key.replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
};

/** "OK exit codes" → "OK exit code", "Add tags" → "Add tag": what one entry of a list is. */
export const singular = (title: string) => title.replace(/(\w)s$/, "$1");

function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref as string | undefined;
  if (ref?.startsWith("#/definitions/")) {
    const def = (root.definitions as Record<string, Schema> | undefined)?.[ref.slice("#/definitions/".length)];
    if (def) {
      const { $ref: _ref, ...rest } = schema;
      return { ...def, ...rest };
    }
  }
  return schema;
}

/** The widget for one property, from its `format`, a referenced Duration, or its name. */
function widgetFor(key: string, prop: Schema, root: Schema): string | null {
  const candidates = [prop, ...(((prop.anyOf ?? prop.oneOf) as Schema[] | undefined) ?? [])].map((s) => resolve(s, root));
  const formats = candidates.map((s) => s.format as string | undefined);
  if (formats.includes("template") || formats.includes("expression")) return "expression";
  if (formats.includes("duration")) return "duration";
  if (formats.includes("path")) return "path";
  if (key === "cron") return "cron";
  if (key === "timezone") return "timezone";
  return null;
}

function walk(schema: Schema, root: Schema): { schema: Schema; ui: Ui } {
  const s = resolve(schema, root);
  const ui: Ui = {};
  const out: Schema = { ...s };
  if (s.properties && typeof s.properties === "object") {
    const props: Record<string, Schema> = {};
    for (const [key, raw] of Object.entries(s.properties as Record<string, Schema>)) {
      const widget = widgetFor(key, raw, root);
      const inner = walk(raw, root);
      props[key] = { title: humanize(key), ...inner.schema };
      // A list's entries are named after it ("OK exit code"), not "<list>-1" as the library does.
      const items = props[key].items as Schema | undefined;
      if (items && typeof items === "object" && !Array.isArray(items) && !items.title) props[key] = { ...props[key], items: { ...items, title: singular(humanize(key)) } };
      ui[key] = { ...inner.ui, ...(widget ? { "ui:widget": widget } : {}) };
      if (key === "type" && raw.const !== undefined) ui[key] = { "ui:widget": "hidden" };
    }
    out.properties = props;
  }
  // A map of names to values: drawn as a two-column table (templates.tsx); values that take
  // expressions (their description says they are templated) get the expression field.
  if (s.additionalProperties && typeof s.additionalProperties === "object") {
    const templated = /templat/i.test(String(s.description ?? ""));
    ui["ui:options"] = { ...((ui["ui:options"] as object | undefined) ?? {}), map: true, templated };
    ui.additionalProperties = templated ? { "ui:widget": "expression", "ui:options": { hint: false } } : {};
  }
  if (s.items && typeof s.items === "object" && !Array.isArray(s.items)) {
    const inner = walk(s.items as Schema, root);
    out.items = inner.schema;
    if (Object.keys(inner.ui).length) ui.items = inner.ui;
  }
  // A value of any type (no `type`, no alternatives): edited as text.
  if (!s.type && !s.oneOf && !s.anyOf && !s.allOf && !s.enum && !("const" in s) && !s.properties && !s.$ref) {
    out.type = "string";
    if (out.default === null) delete out.default;
  }
  // A oneOf of constants is an enumeration: give it a type and readable option titles.
  const consts = Array.isArray(s.oneOf) && (s.oneOf as Schema[]).every((o) => "const" in resolve(o, root));
  if (consts) {
    const opts = (s.oneOf as Schema[]).map((o) => resolve(o, root));
    out.type = out.type ?? typeof opts[0].const;
    out.oneOf = opts.map((o) => ({ ...o, title: (o.title as string) ?? (o.description as string)?.replace(/\.$/, "") ?? String(o.const) }));
    return { schema: out, ui };
  }
  for (const k of ["oneOf", "anyOf"] as const) {
    if (Array.isArray(s[k])) {
      out[k] = (s[k] as Schema[]).map((opt) => {
        const r = walk(opt, root);
        Object.assign(ui, r.ui);
        const o = r.schema;
        const tag = ((o.properties as Record<string, Schema> | undefined)?.type?.const as string | undefined) ?? undefined;
        return tag && !o.title ? { ...o, title: humanize(tag) } : o;
      });
    }
  }
  return { schema: out, ui };
}

/** Schema with titles, and the matching uiSchema. */
export function prepareForm(schema: Schema): { schema: Schema; uiSchema: Ui } {
  const { schema: s, ui } = walk(schema, schema);
  return {
    schema: (({ title: _t, description: _d, ...rest }) => ({ ...rest, definitions: schema.definitions }))(s),
    uiSchema: { ...ui, "ui:submitButtonOptions": { norender: true } },
  };
}

const DURATION = /^\s*(\d+\s*(ms|s|m|h|d)\s*)+$/;
const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

export function isDuration(v: string) {
  return DURATION.test(v);
}
export function isCron(v: string) {
  const parts = v.trim().split(/\s+/);
  return parts.length === 5 && parts.every((p) => CRON_FIELD.test(p));
}

export const formValidator = customizeValidator({
  customFormats: {
    template: () => true,
    expression: () => true,
    path: () => true,
    duration: (v: string) => isDuration(v),
    uint8: () => true,
    uint16: () => true,
    uint32: () => true,
    uint64: () => true,
    int32: () => true,
    int64: () => true,
  },
  ajvOptionsOverrides: { strict: false },
});
