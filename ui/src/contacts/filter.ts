//! The Contacts view's filter model: editable rule drafts (strings as typed) turned into the
//! engine's structured `Filter`, the operators each field supports, and the search box folded in.
import type { Contact, Filter, Match, Operator, Rule } from "../bridge/types";

export type FieldKind = "text" | "tags" | "date" | "custom";

export const BUILTIN_FIELDS = ["email", "name", "phone", "status", "tags", "created_at", "updated_at"] as const;

export const FIELD_LABELS: Record<string, string> = {
  email: "Email",
  name: "Name",
  phone: "Phone",
  status: "Status",
  tags: "Tags",
  created_at: "Created",
  updated_at: "Updated",
};

export const OPERATOR_LABELS: Record<Operator, string> = {
  eq: "is",
  ne: "is not",
  contains: "contains",
  starts_with: "starts with",
  ends_with: "ends with",
  in: "is one of",
  gt: "greater than",
  lt: "less than",
  is_empty: "is empty",
  not_empty: "is not empty",
};

/** Labels that read better for some kinds (dates: before / after; tags: has / has not). */
export function operatorLabel(field: string, op: Operator): string {
  const kind = fieldKind(field);
  if (kind === "date") return op === "gt" ? "after" : op === "lt" ? "before" : OPERATOR_LABELS[op];
  if (kind === "tags") {
    if (op === "contains") return "has tag";
    if (op === "ne") return "has not tag";
    if (op === "is_empty") return "has no tags";
    if (op === "not_empty") return "has tags";
  }
  return OPERATOR_LABELS[op];
}

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? (field.startsWith("custom.") ? field.slice(7) : field);
}

export function fieldKind(field: string): FieldKind {
  if (field === "tags") return "tags";
  if (field === "created_at" || field === "updated_at") return "date";
  if (field.startsWith("custom.")) return "custom";
  return "text";
}

const TEXT_OPS: Operator[] = ["contains", "eq", "ne", "starts_with", "ends_with", "in", "is_empty", "not_empty"];

/** The operators offered for a field, most useful first. */
export function operatorsFor(field: string): Operator[] {
  switch (fieldKind(field)) {
    case "tags":
      return ["contains", "ne", "is_empty", "not_empty"];
    case "date":
      return ["gt", "lt"];
    case "custom":
      return [...TEXT_OPS, "gt", "lt"];
    default:
      return field === "status" ? ["eq", "ne", "in", "contains", "is_empty", "not_empty"] : TEXT_OPS;
  }
}

/** Whether the operator takes a value. */
export const needsValue = (op: Operator) => op !== "is_empty" && op !== "not_empty";

/** Custom field names are letters, digits, `_` and `-` (what the engine accepts). */
export const validCustomName = (name: string) => /^[\p{L}\p{N}_-]+$/u.test(name);

/** One rule as edited: the value as typed (a date as `YYYY-MM-DD`, a list comma-separated). */
export type RuleDraft = { id: number; field: string; op: Operator; value: string };

let nextDraft = 1;
export function newDraft(field = "status"): RuleDraft {
  return { id: nextDraft++, field, op: operatorsFor(field)[0], value: "" };
}

/** Changes a draft's field, keeping the operator when the new field supports it. */
export function withField(d: RuleDraft, field: string): RuleDraft {
  const ops = operatorsFor(field);
  const op = ops.includes(d.op) ? d.op : ops[0];
  // A typed text survives a field change; a date does not mean anything elsewhere (and back).
  const value = (fieldKind(field) === "date") === (fieldKind(d.field) === "date") ? d.value : "";
  return { ...d, field, op, value };
}

/** A date input (`YYYY-MM-DD`, local time) as ms since the epoch; `gt` compares with the day's end. */
export function dateValue(text: string, op: Operator): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const start = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
  return op === "gt" ? start + 86_400_000 - 1 : start;
}

/** The typed value as the engine wants it; `undefined` when the rule is not complete yet. */
export function ruleValue(d: RuleDraft): unknown {
  if (!needsValue(d.op)) return null;
  const text = d.value.trim();
  const kind = fieldKind(d.field);
  if (kind === "date") return dateValue(text, d.op) ?? undefined;
  if (text === "") return undefined;
  if (d.op === "in") {
    const items = text.split(",").map((s) => s.trim()).filter(Boolean);
    return items.length ? items : undefined;
  }
  // Custom fields hold numbers (demo `score`) as well as text: compare numbers as numbers.
  if (kind === "custom" && (d.op === "gt" || d.op === "lt") && text !== "" && Number.isFinite(Number(text))) {
    return Number(text);
  }
  return text;
}

/** A draft as an engine rule, or null while incomplete (no value, or a custom field without a name). */
export function toRule(d: RuleDraft): Rule | null {
  if (d.field.startsWith("custom.") && !validCustomName(d.field.slice(7))) return null;
  const value = ruleValue(d);
  if (value === undefined) return null;
  return { field: d.field, op: d.op, value };
}

/** The drafts as a structured `Filter` (incomplete rules are left out). */
export function toFilter(match: Match, drafts: RuleDraft[]): Filter {
  return { match, rules: drafts.map(toRule).filter((r): r is Rule => r !== null) };
}

/** A saved `Filter` back into drafts (for restoring the view). */
export function fromFilter(filter: Filter): RuleDraft[] {
  return filter.rules.map((r) => {
    let value = "";
    if (fieldKind(r.field) === "date" && typeof r.value === "number") {
      const d = new Date(r.op === "gt" ? r.value - 86_400_000 + 1 : r.value);
      value = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    } else if (Array.isArray(r.value)) value = r.value.join(", ");
    else if (r.value !== null && r.value !== undefined) value = String(r.value);
    return { id: nextDraft++, field: r.field, op: r.op, value };
  });
}

/**
 * The filters to query so that the results are `search AND filter` (search: email or name
 * contains the text). A `Filter` is flat (one all / any), so this is a union of all-filters whose
 * results the caller merges by id.
 */
export function queryPlan(filter: Filter, search: string): Filter[] {
  const s = search.trim();
  if (!s) return [filter];
  const variants: Rule[] = [
    { field: "email", op: "contains", value: s },
    { field: "name", op: "contains", value: s },
  ];
  if (filter.rules.length === 0 || filter.match === "all" || filter.rules.length === 1) {
    return variants.map((v) => ({ match: "all", rules: [v, ...filter.rules] }));
  }
  return variants.flatMap((v) => filter.rules.map((r) => ({ match: "all" as Match, rules: [v, r] })));
}

/**
 * One page of the union of `plan`'s results, by id after `after`: each filter's first `limit`
 * ids after the cursor hold the union's first `limit`.
 */
export async function pageOfUnion(
  list: (filter: Filter, after: number | null, limit: number) => Promise<Contact[]>,
  plan: Filter[],
  after: number | null,
  limit: number,
): Promise<{ rows: Contact[]; done: boolean }> {
  const pages = await Promise.all(plan.map((f) => list(f, after, limit)));
  const byId = new Map<number, Contact>();
  for (const page of pages) for (const c of page) byId.set(c.id, c);
  const all = [...byId.values()].sort((a, b) => a.id - b.id);
  const rows = all.slice(0, limit);
  // Done when no sub-query filled its page and nothing was cut off.
  const done = pages.every((p) => p.length < limit) && all.length <= limit;
  return { rows, done };
}

/** The custom field names seen in some contacts. */
export function customFields(contacts: Contact[]): string[] {
  const names = new Set<string>();
  for (const c of contacts) for (const k of Object.keys(c.custom ?? {})) names.add(k);
  return [...names].sort();
}
