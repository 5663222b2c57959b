import { describe, expect, it } from "vitest";
import type { Contact, Filter, Rule } from "../bridge/types";
import { demo, emptyTable, exportCsv, importCsv, list, matches, validEmail } from "./mockContacts";

const contact = (over: Partial<Contact>): Contact => ({
  id: 1,
  email: "ada@example.com",
  name: "Ada Lovelace",
  phone: "+1 555 0101",
  status: "new",
  tags: ["vip"],
  custom: { city: "Paris", score: 42 },
  createdAt: 1_000,
  updatedAt: 2_000,
  ...over,
});
const one = (rule: Rule, c = contact({})) => matches(c, { match: "all", rules: [rule] });

describe("mock filter evaluator", () => {
  it("compares text like SQLite NOCASE and LIKE", () => {
    expect(one({ field: "status", op: "eq", value: "NEW" })).toBe(true);
    expect(one({ field: "status", op: "ne", value: "new" })).toBe(false);
    expect(one({ field: "name", op: "contains", value: "LOVE" })).toBe(true);
    expect(one({ field: "email", op: "starts_with", value: "ADA@" })).toBe(true);
    expect(one({ field: "email", op: "ends_with", value: ".org" })).toBe(false);
    expect(one({ field: "status", op: "in", value: ["lost", "New"] })).toBe(true);
    expect(one({ field: "status", op: "in", value: [] })).toBe(false);
    expect(one({ field: "phone", op: "is_empty", value: null })).toBe(false);
    expect(one({ field: "phone", op: "is_empty", value: null }, contact({ phone: "" }))).toBe(true);
    expect(one({ field: "name", op: "not_empty", value: null })).toBe(true);
  });

  it("handles tags, times and custom fields", () => {
    expect(one({ field: "tags", op: "contains", value: "VIP" })).toBe(true);
    expect(one({ field: "tags", op: "ne", value: "vip" })).toBe(false);
    expect(one({ field: "tags", op: "is_empty", value: null }, contact({ tags: [] }))).toBe(true);
    expect(one({ field: "created_at", op: "gt", value: 999 })).toBe(true);
    expect(one({ field: "created_at", op: "lt", value: "1000" })).toBe(false);
    expect(one({ field: "custom.score", op: "gt", value: 40 })).toBe(true);
    expect(one({ field: "custom.score", op: "lt", value: 40 })).toBe(false);
    // json_extract has no affinity: a number never equals a text.
    expect(one({ field: "custom.score", op: "eq", value: "42" })).toBe(false);
    expect(one({ field: "custom.score", op: "eq", value: 42 })).toBe(true);
    expect(one({ field: "custom.city", op: "eq", value: "paris" })).toBe(true);
    // An absent custom field is NULL: `ne` and `is_empty` hold, comparisons do not.
    expect(one({ field: "custom.region", op: "ne", value: "x" })).toBe(true);
    expect(one({ field: "custom.region", op: "is_empty", value: null })).toBe(true);
    expect(one({ field: "custom.region", op: "contains", value: "" })).toBe(false);
  });

  it("joins rules with all / any; no rules match everything", () => {
    const rules: Rule[] = [
      { field: "status", op: "eq", value: "lost" },
      { field: "tags", op: "contains", value: "vip" },
    ];
    expect(matches(contact({}), { match: "all", rules })).toBe(false);
    expect(matches(contact({}), { match: "any", rules })).toBe(true);
    expect(matches(contact({}), { match: "all", rules: [] })).toBe(true);
  });

  it("rejects unknown fields and bad values like the engine", () => {
    const t = emptyTable();
    const bad: Filter = { match: "all", rules: [{ field: "city", op: "eq", value: "x" }] };
    expect(() => list(t, bad, null, 10)).toThrow();
    try {
      list(t, bad, null, 10);
    } catch (e) {
      expect(e).toMatchObject({ code: "WEFT-S004" });
      expect((e as { message: string }).message).toMatch(/WEFT-C001 .*unknown field/);
    }
    expect(() => list(t, { match: "all", rules: [{ field: "tags", op: "gt", value: 1 }] }, null, 10)).toThrow(/./);
    expect(() => list(t, { match: "all", rules: [{ field: "status", op: "in", value: "new" }] }, null, 10)).toThrow();
  });
});

describe("mock contacts table", () => {
  it("pages by id after a cursor", () => {
    const t = emptyTable();
    demo(t, 50, 1_700_000_000_000);
    const f: Filter = { match: "all", rules: [] };
    const p1 = list(t, f, null, 20);
    const p2 = list(t, f, p1[19].id, 20);
    expect(p1).toHaveLength(20);
    expect(p2[0].id).toBe(p1[19].id + 1);
    expect(list(t, f, 40, 20)).toHaveLength(10);
  });

  it("adds demo leads only to an empty table", () => {
    const t = emptyTable();
    expect(demo(t, 3000, 1_700_000_000_000)).toBe(3000);
    expect(t.rows[0].email).toMatch(/^[a-z]+\.[a-z]+0@example\.com$/);
    expect(new Set(t.rows.map((c) => c.status))).toEqual(new Set(["new", "contacted", "qualified", "customer", "lost"]));
    expect(() => demo(t, 10, 0)).toThrow();
    try {
      demo(t, 10, 0);
    } catch (e) {
      expect(e).toMatchObject({ code: "WEFT-D006" });
    }
  });

  it("imports CSV with rejected rows (bad email, duplicates) and custom fields", () => {
    const t = emptyTable();
    const csv = "E-mail;Name;City;Tags\nada@x.io;Ada;Paris;vip, fair\nnope;Bob;Rome;\nADA@x.io;Ada again;;\ngrace@x.io;;Oslo;\n;No mail;;\n";
    const r = importCsv(t, csv, ";", { email: "E-mail", name: "Name" }, null, 5);
    expect(r).toMatchObject({ rows: 5, created: 2, rejected_count: 3 });
    expect(r.rejected.map((x) => [Number(x.line), x.reason])).toEqual([
      [3, 'bad email "nope"'],
      [4, 'duplicate email "ADA@x.io"'],
      [6, "missing email"],
    ]);
    expect(t.rows[0]).toMatchObject({ email: "ada@x.io", status: "new", tags: ["vip", "fair"], custom: { City: "Paris" } });
    expect(t.rows[1].custom).toEqual({ City: "Oslo" });
    // Already stored emails are duplicates too.
    expect(importCsv(t, "email\ngrace@X.io\n", null, null, "lead", 6)).toMatchObject({ created: 0, rejected_count: 1 });
  });

  it("imports nothing from a malformed file", () => {
    const t = emptyTable();
    expect(() => importCsv(t, "email,name\na@x.io,A\nb@x.io\n", ",", null, null, 0)).toThrow();
    try {
      importCsv(t, "email,name\na@x.io,A\nb@x.io\n", ",", null, null, 0);
    } catch (e) {
      expect(e).toMatchObject({ code: "WEFT-C010" });
      expect((e as { message: string }).message).toContain("line 3");
    }
    expect(t.rows).toHaveLength(0);
    expect(() => importCsv(t, "name\nA\n", ",", null, null, 0)).toThrow();
    expect(() => importCsv(t, "email\na@x.io\n", ",", { email: "Mail" }, null, 0)).toThrow();
  });

  it("checks emails like the engine", () => {
    expect(validEmail("a@b.co")).toBe(true);
    for (const bad of ["", "a", "@b.co", "a@b", "a@.co", "a@b.", "a b@c.io", "a@b@c.io"]) expect(validEmail(bad)).toBe(false);
  });

  it("exports the matching contacts with their custom columns", () => {
    const t = emptyTable();
    importCsv(t, 'email,name,tags,city\na@x.io,"Doe, Jane",vip;fair,Oslo\nb@x.io,B,,\n', ",", null, null, 0);
    expect(exportCsv(t, { match: "all", rules: [] })).toBe('email,name,phone,status,tags,city\na@x.io,"Doe, Jane",,new,vip;fair,Oslo\nb@x.io,B,,new,,\n');
    expect(exportCsv(t, { match: "all", rules: [{ field: "tags", op: "contains", value: "vip" }] }).trim().split("\n")).toHaveLength(2);
  });
});
