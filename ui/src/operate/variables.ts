//! Editing a paused run's variables as rows of name and value: a value that reads as JSON
//! (`42`, `true`, `"text"`, `[1, 2]`, `{"a": 1}`) is that value, anything else is text — so a
//! person types `vip` or `1200` and gets what they mean.

export type VarRow = { name: string; value: string };

/** The rows a run's variables show as (values written the way they would be typed; a text
 * that would read as something else — `"42"`, `"true"` — keeps its quotes). */
export function varsToRows(vars: Record<string, unknown>): VarRow[] {
  return Object.entries(vars).map(([name, v]) => ({ name, value: typeof v === "string" && parseValue(v) === v ? v : JSON.stringify(v) }));
}

/** A typed value: JSON when it reads as JSON, else the text itself. */
export function parseValue(text: string): unknown {
  const t = text.trim();
  if (t === "") return "";
  try {
    return JSON.parse(t);
  } catch {
    return text;
  }
}

/** The variables the rows make, or what is wrong with them (a blank or repeated name). */
export function rowsToVars(rows: VarRow[]): { vars: Record<string, unknown> } | { error: string } {
  const vars: Record<string, unknown> = {};
  for (const [i, row] of rows.entries()) {
    const name = row.name.trim();
    if (!name) return { error: `Row ${i + 1} has no name.` };
    if (Object.hasOwn(vars, name)) return { error: `“${name}” is there twice.` };
    vars[name] = parseValue(row.value);
  }
  return { vars };
}
