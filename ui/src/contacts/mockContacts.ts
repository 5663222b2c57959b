//! The mock engine's contacts table: the same filter semantics as the engine's SQL (SQLite
//! comparisons, NOCASE equality, storage-class ordering), CSV import with the same rejection rules
//! (bad email, duplicate in the file or the table) and the same deterministic demo generator.
//! In memory only: a reload empties it.
import type { Backend } from "../bridge/backend";
import type { Contact, Filter, ImportReport, Rule } from "../bridge/types";
import { csvField, parseCsv } from "./csv";

type Sql = null | number | string;
type BridgeErr = { code: string; message: string; details: unknown };

const err = (code: string, message: string, details: unknown = null): BridgeErr => ({ code, message, details });

/** The engine's `valid_email`: one `@`, a dot inside the domain, no spaces. */
export function validEmail(email: string): boolean {
  const at = email.indexOf("@");
  if (at < 0) return false;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  return (
    local.length > 0 &&
    domain.includes(".") &&
    !domain.startsWith(".") &&
    !domain.endsWith(".") &&
    !/\s/.test(email) &&
    !domain.includes("@")
  );
}

/** A JSON value as the engine's `text()`: strings as is, null empty, the rest as JSON. */
const text = (v: unknown): string => (typeof v === "string" ? v : v === null || v === undefined ? "" : JSON.stringify(v));

/** SQLite NOCASE folds ASCII only. */
const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Orders two SQL values like SQLite: NULL < numbers < text; `nocase` folds ASCII for text. */
function compare(a: Sql, b: Sql, nocase: boolean): number | null {
  if (a === null || b === null) return null;
  const ca = typeof a === "number" ? 1 : 2;
  const cb = typeof b === "number" ? 1 : 2;
  if (ca !== cb) return ca - cb;
  if (typeof a === "number") return a - (b as number);
  const x = nocase ? fold(a) : a;
  const y = nocase ? fold(b as string) : (b as string);
  return x < y ? -1 : x > y ? 1 : 0;
}

type Column = { value: Sql; affinity: "text" | "integer" | "none" };

/** SQLite applies a column's affinity to a bound value it is compared with. */
function withAffinity(col: Column, v: Sql): Sql {
  if (v === null) return v;
  if (col.affinity === "text") return typeof v === "number" ? String(v) : v;
  if (col.affinity === "integer" && typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return v;
}

const sqlText = (v: Sql): string | null => (v === null ? null : String(v));

const KNOWN = new Set(["email", "name", "phone", "status", "created_at", "updated_at"]);

function column(c: Contact, field: string): Column {
  switch (field) {
    case "email":
    case "name":
    case "phone":
    case "status":
      return { value: c[field], affinity: "text" };
    case "created_at":
      return { value: c.createdAt, affinity: "integer" };
    case "updated_at":
      return { value: c.updatedAt, affinity: "integer" };
    default: {
      // json_extract: numbers and strings as they are, booleans as 0 / 1, objects as JSON text.
      const v = c.custom[field.slice(7)];
      if (v === undefined || v === null) return { value: null, affinity: "none" };
      if (typeof v === "boolean") return { value: v ? 1 : 0, affinity: "none" };
      if (typeof v === "number" || typeof v === "string") return { value: v, affinity: "none" };
      return { value: JSON.stringify(v), affinity: "none" };
    }
  }
}

/** A rule's value bound as the engine binds it. */
function bound(v: unknown, numeric: boolean): Sql {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  const t = text(v);
  if (numeric && /^[+-]?\d+$/.test(t.trim())) return Number(t);
  return t;
}

/** Checks the filter like `Filter::to_sql` does; throws the bridge error the engine would. */
export function checkFilter(filter: Filter): void {
  filter.rules.forEach((rule, index) => {
    const f = rule.field;
    const ok = KNOWN.has(f) || f === "tags" || (f.startsWith("custom.") && f.length > 7 && /^[\p{L}\p{N}_-]+$/u.test(f.slice(7)));
    const fields = "fields are email, name, phone, status, tags, created_at, updated_at, custom.NAME";
    if (!ok) throw err("WEFT-S004", `stored filter is not valid: WEFT-C001 rules[${index}]: unknown field ${JSON.stringify(f)}; ${fields}`, { what: "filter" });
    const bad = (m: string) => err("WEFT-S004", `stored filter is not valid: WEFT-C002 rules[${index}] (${f}): ${m}`, { what: "filter" });
    if (f === "tags" && !["contains", "eq", "ne", "is_empty", "not_empty"].includes(rule.op)) throw bad("tags support contains, ne, is_empty and not_empty");
    if (f !== "tags" && rule.op === "in" && !Array.isArray(rule.value)) throw bad("`in` needs a list of values");
  });
}

function ruleHolds(c: Contact, rule: Rule): boolean {
  if (rule.field === "tags") {
    const has = c.tags.some((t) => fold(t) === fold(text(rule.value)));
    switch (rule.op) {
      case "contains":
      case "eq":
        return has;
      case "ne":
        return !has;
      case "is_empty":
        return c.tags.length === 0;
      case "not_empty":
        return c.tags.length > 0;
      default:
        return false;
    }
  }
  const col = column(c, rule.field);
  const numeric = rule.field === "created_at" || rule.field === "updated_at";
  const v = () => withAffinity(col, bound(rule.value, numeric));
  const s = sqlText(col.value);
  switch (rule.op) {
    case "eq":
      return compare(col.value, v(), true) === 0;
    case "ne":
      return col.value === null || compare(col.value, v(), true) !== 0;
    case "contains":
      return s === null ? false : s.toLowerCase().includes(text(rule.value).toLowerCase());
    case "starts_with":
      return s === null ? false : s.toLowerCase().startsWith(text(rule.value).toLowerCase());
    case "ends_with":
      return s === null ? false : s.toLowerCase().endsWith(text(rule.value).toLowerCase());
    case "gt": {
      const r = compare(col.value, v(), false);
      return r !== null && r > 0;
    }
    case "lt": {
      const r = compare(col.value, v(), false);
      return r !== null && r < 0;
    }
    case "is_empty":
      return col.value === null || col.value === "";
    case "not_empty":
      return col.value !== null && col.value !== "";
    case "in":
      return (rule.value as unknown[]).some((item) => compare(col.value, withAffinity(col, bound(item, numeric)), true) === 0);
  }
}

/** Whether a contact matches a filter (no rules: everything). */
export function matches(c: Contact, filter: Filter): boolean {
  if (filter.rules.length === 0) return true;
  return filter.match === "any" ? filter.rules.some((r) => ruleHolds(c, r)) : filter.rules.every((r) => ruleHolds(c, r));
}

export type ContactsTable = {
  rows: Contact[];
  nextId: number;
};

export const emptyTable = (): ContactsTable => ({ rows: [], nextId: 1 });

export function list(table: ContactsTable, filter: Filter, after: number | null, limit: number | null): Contact[] {
  checkFilter(filter);
  const n = Math.min(Math.max(limit ?? 200, 1), 2000);
  const out: Contact[] = [];
  for (const c of table.rows) {
    if (c.id <= (after ?? 0)) continue;
    if (matches(c, filter)) out.push(c);
    if (out.length >= n) break;
  }
  return structuredClone(out);
}

/** Imports CSV text in one go: either the whole import lands or (on an error) nothing does. */
export function importCsv(
  table: ContactsTable,
  csv: string,
  delimiter: string | null,
  mapping: Record<string, string> | null,
  status: string | null,
  now: number,
): ImportReport {
  const d = delimiter ?? ",";
  if (d.length !== 1) throw err("WEFT-C010", "the delimiter must be one character");
  const records = parseCsv(csv, d);
  if (records.length === 0) throw err("WEFT-C010", "line 0: the file is empty");
  const headers = records[0].fields.map((h) => h.trim());
  const map = mapping ?? {};
  for (const col of Object.values(map)) {
    if (!headers.includes(col)) {
      throw err("WEFT-C010", `WEFT-C011 the mapping names column ${JSON.stringify(col)}, which the file does not have (columns: ${headers.join(", ")})`);
    }
  }
  const fields = headers.map((h) => {
    const mapped = Object.entries(map)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .find(([, col]) => col === h);
    if (mapped) return mapped[0];
    const lower = h.toLowerCase();
    return ["email", "name", "phone", "status", "tags"].includes(lower) && !(lower in map) ? lower : `custom.${h}`;
  });
  if (!fields.includes("email")) {
    throw err("WEFT-C010", `WEFT-C011 the mapping names column "email", which the file does not have (columns: ${headers.join(", ")})`);
  }
  for (const r of records) {
    if (r.fields.length !== headers.length) {
      throw err("WEFT-C010", `line ${r.line}: expected ${headers.length} fields, found ${r.fields.length} (wrong delimiter or broken quotes?)`);
    }
  }
  const report: ImportReport = { rows: 0, created: 0, rejected: [], rejected_count: 0 };
  const taken = new Set(table.rows.map((c) => fold(c.email)));
  const added: Contact[] = [];
  const reject = (line: number, reason: string) => {
    report.rejected_count++;
    if (report.rejected.length < 1000) report.rejected.push({ line, reason });
  };
  for (const r of records.slice(1)) {
    report.rows++;
    const c: Contact = { id: 0, email: "", name: "", phone: "", status: "", tags: [], custom: {}, createdAt: now, updatedAt: now };
    fields.forEach((f, i) => {
      const value = r.fields[i].trim();
      if (f === "email" || f === "name" || f === "phone" || f === "status") c[f] = value;
      else if (f === "tags") c.tags = value.split(/[;,]/).map((t) => t.trim()).filter(Boolean);
      else if (f.startsWith("custom.") && value !== "") c.custom[f.slice(7)] = value;
    });
    if (!validEmail(c.email)) {
      reject(r.line, c.email === "" ? "missing email" : `bad email ${JSON.stringify(c.email)}`);
      continue;
    }
    if (taken.has(fold(c.email))) {
      reject(r.line, `duplicate email ${JSON.stringify(c.email)}`);
      continue;
    }
    taken.add(fold(c.email));
    if (c.status === "") c.status = status ?? "new";
    added.push(c);
    report.created++;
  }
  for (const c of added) {
    c.id = table.nextId++;
    table.rows.push(c);
  }
  return report;
}

/** The contacts matching a filter as CSV (the engine's columns: the fixed ones, then every custom key). */
export function exportCsv(table: ContactsTable, filter: Filter): string {
  checkFilter(filter);
  const rows = table.rows.filter((c) => matches(c, filter));
  const customs = [...new Set(rows.flatMap((c) => Object.keys(c.custom)))].sort();
  const lines = [["email", "name", "phone", "status", "tags", ...customs]];
  for (const c of rows) {
    lines.push([
      c.email,
      c.name,
      c.phone,
      c.status,
      c.tags.join(";"),
      ...customs.map((k) => {
        const v = c.custom[k];
        return v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
      }),
    ]);
  }
  return `${lines.map((l) => l.map((v) => csvField(v)).join(",")).join("\n")}\n`;
}

const FIRST = ["Ada", "Grace", "Linus", "Katherine", "Alan", "Barbara", "Dennis", "Margaret", "Ken", "Radia", "Tim", "Frances", "John", "Hedy", "Guido", "Sophie", "Edsger", "Donald"];
const LAST = ["Lovelace", "Hopper", "Torvalds", "Johnson", "Turing", "Liskov", "Ritchie", "Hamilton", "Thompson", "Perlman", "Allen", "McCarthy", "Lamarr", "Wilson", "Dijkstra", "Knuth"];
const CITIES = ["Paris", "Oslo", "Rome", "Lima", "Kyoto", "Austin", "Berlin", "Lagos"];
const STATUSES = ["new", "new", "new", "contacted", "qualified", "customer", "lost"];
const TAGS = ["webinar", "newsletter", "fair", "vip", "partner"];

/** The engine's demo leads (same generator), only into an empty table. */
export function demo(table: ContactsTable, count: number | null, now: number): number {
  if (table.rows.length > 0) {
    throw err("WEFT-D006", "the contacts database is not empty: demo data is only added to an empty one");
  }
  const n = Math.min(count ?? 3000, 100_000);
  const mask = (1n << 64n) - 1n;
  let seed = 0x5eedn;
  const next = () => {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) & mask;
    return Number(seed >> 33n);
  };
  for (let i = 0; i < n; i++) {
    const f = FIRST[next() % FIRST.length];
    const l = LAST[next() % LAST.length];
    const tags = [TAGS[next() % TAGS.length]];
    const custom = { city: CITIES[next() % CITIES.length], score: next() % 100 };
    const created = now - (next() % (90 * 86_400)) * 1000;
    const phone = `+1 555 ${String(next() % 10_000).padStart(4, "0")}`;
    const status = STATUSES[next() % STATUSES.length];
    table.rows.push({
      id: table.nextId++,
      email: `${f.toLowerCase()}.${l.toLowerCase()}${i}@example.com`,
      name: `${f} ${l}`,
      phone,
      status,
      tags,
      custom,
      createdAt: created,
      updatedAt: created,
    });
  }
  return n;
}

/** The contacts part of the mock backend (spread into it by `bridge/mock.ts`). */
export function createContactsMock(): Pick<Backend, "listContacts" | "countContacts" | "importContacts" | "exportContacts" | "demoContacts" | "updateContact"> {
  const table = emptyTable();
  const later = <T>(f: () => T): Promise<T> =>
    new Promise((resolve, reject) =>
      setTimeout(() => {
        try {
          resolve(f());
        } catch (e) {
          reject(e);
        }
      }, 0),
    );
  return {
    listContacts: (filter, after, limit) => later(() => list(table, filter, after, limit)),
    countContacts: () => later(() => table.rows.length),
    importContacts: (csv, delimiter, mapping, status) => later(() => importCsv(table, csv, delimiter, mapping, status, Date.now())),
    exportContacts: (filter) => later(() => exportCsv(table, filter)),
    demoContacts: (count) => later(() => demo(table, count, Date.now())),
    updateContact: (id, change) =>
      later(() => {
        const c = table.rows.find((r) => r.id === id);
        if (!c) throw { code: "WEFT-S003", message: `contact ${id} not found`, details: null };
        if (change.name != null) c.name = change.name;
        if (change.status != null) c.status = change.status;
        if (change.tags != null) c.tags = [...change.tags];
        c.updatedAt = Date.now();
        return { ...c, tags: [...c.tags], custom: { ...c.custom } };
      }),
  };
}
