//! Export of the current search + filter as a CSV download.
import { backend } from "../bridge";
import type { Filter } from "../bridge/types";
import { csvField, parseCsv } from "./csv";
import { queryPlan } from "./filter";

/**
 * Merges the CSV exports of several filters (a search over a filter is a union of filters):
 * columns are the union of the headers, rows are deduplicated by email.
 */
export function mergeCsv(parts: string[]): string {
  const tables = parts.map((p) => parseCsv(p));
  const header: string[] = [];
  for (const t of tables) for (const h of t[0]?.fields ?? []) if (!header.includes(h)) header.push(h);
  const fixed = header.filter((h) => ["email", "name", "phone", "status", "tags"].includes(h));
  const custom = header.filter((h) => !fixed.includes(h)).sort();
  const columns = [...fixed, ...custom];
  const seen = new Set<string>();
  const lines = [columns.map((c) => csvField(c)).join(",")];
  for (const t of tables) {
    const head = t[0]?.fields ?? [];
    for (const r of t.slice(1)) {
      const row = Object.fromEntries(head.map((h, i) => [h, r.fields[i] ?? ""]));
      const key = (row.email ?? "").toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      lines.push(columns.map((c) => csvField(row[c] ?? "")).join(","));
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Builds the CSV of the contacts matching `filter` and `search`; returns it with its row count. */
export async function exportText(filter: Filter, search: string): Promise<{ csv: string; rows: number }> {
  const plan = queryPlan(filter, search);
  const parts = await Promise.all(plan.map((f) => backend.exportContacts(f)));
  const csv = parts.length === 1 ? parts[0] : mergeCsv(parts);
  return { csv, rows: Math.max(0, parseCsv(csv).length - 1) };
}

/** Downloads the export as `contacts-YYYY-MM-DD.csv`; resolves with the number of contacts. */
export async function exportFiltered(filter: Filter, search: string): Promise<number> {
  const { csv, rows } = await exportText(filter, search);
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `contacts-${new Date().toISOString().slice(0, 10)}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return rows;
}
