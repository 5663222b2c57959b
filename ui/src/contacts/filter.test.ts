import { describe, expect, it } from "vitest";
import type { Contact, Filter } from "../bridge/types";
import { autoMap, guessDelimiter, parseCsv, toMapping } from "./csv";
import { mergeCsv } from "./exportCsv";
import { dateValue, fieldKind, fromFilter, newDraft, operatorsFor, pageOfUnion, queryPlan, type RuleDraft, toFilter, toRule, withField } from "./filter";

const d = (field: string, op: RuleDraft["op"], value = ""): RuleDraft => ({ id: 1, field, op, value });

describe("operators per field", () => {
  it("offers only what the engine accepts for each field type", () => {
    expect(operatorsFor("tags")).toEqual(["contains", "ne", "is_empty", "not_empty"]);
    expect(operatorsFor("created_at")).toEqual(["gt", "lt"]);
    expect(operatorsFor("updated_at")).toEqual(["gt", "lt"]);
    expect(operatorsFor("email")).toContain("starts_with");
    expect(operatorsFor("email")).not.toContain("gt");
    expect(operatorsFor("status")[0]).toBe("eq");
    expect(operatorsFor("custom.score")).toEqual(expect.arrayContaining(["eq", "contains", "gt", "lt", "is_empty"]));
    expect(fieldKind("custom.city")).toBe("custom");
  });

  it("keeps the operator when the new field supports it, else takes the first", () => {
    expect(withField(d("name", "contains", "ada"), "email")).toMatchObject({ field: "email", op: "contains", value: "ada" });
    expect(withField(d("name", "starts_with", "ada"), "tags")).toMatchObject({ field: "tags", op: "contains", value: "ada" });
    expect(withField(d("name", "eq", "ada"), "created_at")).toMatchObject({ op: "gt", value: "" });
    expect(newDraft("status").op).toBe("eq");
  });
});

describe("rule drafts → Filter", () => {
  it("converts typed values to the engine's values", () => {
    expect(toRule(d("status", "eq", " qualified "))).toEqual({ field: "status", op: "eq", value: "qualified" });
    expect(toRule(d("status", "in", "new, lost,,"))).toEqual({ field: "status", op: "in", value: ["new", "lost"] });
    expect(toRule(d("tags", "is_empty"))).toEqual({ field: "tags", op: "is_empty", value: null });
    expect(toRule(d("custom.score", "gt", "50"))).toEqual({ field: "custom.score", op: "gt", value: 50 });
    expect(toRule(d("custom.city", "eq", "Oslo"))).toEqual({ field: "custom.city", op: "eq", value: "Oslo" });
    const lt = toRule(d("created_at", "lt", "2026-01-02"));
    expect(lt?.value).toBe(new Date(2026, 0, 2).getTime());
    expect(dateValue("2026-01-02", "gt")).toBe(new Date(2026, 0, 3).getTime() - 1);
  });

  it("leaves incomplete rules out", () => {
    expect(toRule(d("name", "contains", "  "))).toBeNull();
    expect(toRule(d("created_at", "gt", "soon"))).toBeNull();
    expect(toRule(d("custom.", "eq", "x"))).toBeNull();
    expect(toRule(d("custom.bad name", "eq", "x"))).toBeNull();
    const f = toFilter("any", [d("name", "contains", "ada"), d("email", "eq", "")]);
    expect(f).toEqual({ match: "any", rules: [{ field: "name", op: "contains", value: "ada" }] });
  });

  it("round-trips a saved filter into drafts", () => {
    const f: Filter = {
      match: "all",
      rules: [
        { field: "status", op: "in", value: ["new", "lost"] },
        { field: "created_at", op: "gt", value: new Date(2026, 4, 1).getTime() + 86_400_000 - 1 },
        { field: "tags", op: "not_empty", value: null },
      ],
    };
    const drafts = fromFilter(f);
    expect(drafts.map((x) => x.value)).toEqual(["new, lost", "2026-05-01", ""]);
    expect(toFilter("all", drafts)).toEqual(f);
  });
});

describe("search folded into the filter", () => {
  const rule = { field: "status", op: "eq" as const, value: "new" };
  it("is a union of all-filters", () => {
    expect(queryPlan({ match: "all", rules: [rule] }, "")).toEqual([{ match: "all", rules: [rule] }]);
    const plan = queryPlan({ match: "all", rules: [rule] }, "ada");
    expect(plan).toHaveLength(2);
    expect(plan[0].rules[0]).toEqual({ field: "email", op: "contains", value: "ada" });
    expect(plan[1].rules).toEqual([{ field: "name", op: "contains", value: "ada" }, rule]);
    const any = queryPlan({ match: "any", rules: [rule, { field: "status", op: "eq", value: "lost" }] }, "ada");
    expect(any).toHaveLength(4);
    expect(any.every((f) => f.match === "all" && f.rules.length === 2)).toBe(true);
  });

  it("merges pages of several queries by id", async () => {
    const c = (id: number) => ({ id }) as Contact;
    const data: Record<string, number[]> = { a: [1, 3, 5, 7], b: [2, 3, 6, 8] };
    const list = async (f: Filter, after: number | null, limit: number) =>
      data[f.rules[0].value as string].filter((id) => id > (after ?? 0)).slice(0, limit).map(c);
    const plan: Filter[] = ["a", "b"].map((v) => ({ match: "all", rules: [{ field: "x", op: "eq", value: v }] }));
    const p1 = await pageOfUnion(list, plan, null, 3);
    expect(p1.rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(p1.done).toBe(false);
    const p2 = await pageOfUnion(list, plan, 3, 3);
    expect(p2.rows.map((r) => r.id)).toEqual([5, 6, 7]);
    const p3 = await pageOfUnion(list, plan, 7, 3);
    expect(p3).toEqual({ rows: [c(8)], done: true });
  });
});

describe("CSV helpers", () => {
  it("parses quotes, embedded delimiters and line breaks with their lines", () => {
    const rows = parseCsv('email,note\r\na@x.io,"one, two"\n\nb@x.io,"multi\nline ""q"""\nc@x.io,z\n');
    expect(rows.map((r) => r.line)).toEqual([1, 2, 4, 6]);
    expect(rows[1].fields).toEqual(["a@x.io", "one, two"]);
    expect(rows[2].fields).toEqual(["b@x.io", 'multi\nline "q"']);
  });

  it("guesses the delimiter and maps columns by header", () => {
    expect(guessDelimiter("E-mail;Name;City\nx;y;z")).toBe(";");
    expect(guessDelimiter("a\tb\tc")).toBe("\t");
    const headers = ["E-mail", "Full name", "Phone", "Stage", "Tags", "City", "email"];
    const fields = autoMap(headers);
    expect(fields).toEqual(["email", "name", "phone", "status", "tags", "custom", "custom"]);
    expect(toMapping(headers, fields)).toEqual({
      email: "E-mail",
      name: "Full name",
      phone: "Phone",
      status: "Stage",
      tags: "Tags",
      "custom.City": "City",
      "custom.email": "email",
    });
  });

  it("merges exports with different custom columns, one row per email", () => {
    const out = mergeCsv(["email,name,phone,status,tags,city\na@x.io,A,,new,,Oslo\n", "email,name,phone,status,tags,score\na@x.io,A,,new,,\nb@x.io,B,,new,vip,7\n"]);
    expect(out).toBe("email,name,phone,status,tags,city,score\na@x.io,A,,new,,Oslo,\nb@x.io,B,,new,vip,,7\n");
  });
});
