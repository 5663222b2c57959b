//! CSV for the Contacts view: a small RFC 4180 reader (import preview, the mock engine), the
//! delimiter guess and the automatic column → field mapping.

export type CsvRecord = { line: number; fields: string[] };

/**
 * Reads CSV text into records, each with the 1-based line it starts on. Quoted fields may hold
 * delimiters, quotes (doubled) and line breaks; blank lines are skipped (as the engine's reader does).
 */
export function parseCsv(text: string, delimiter = ","): CsvRecord[] {
  const out: CsvRecord[] = [];
  let i = text.startsWith("\uFEFF") ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = "";
    let atRecordEnd = false;
    let sawAny = false;
    while (i < n && !atRecordEnd) {
      const ch = text[i];
      if (ch === '"' && field === "") {
        sawAny = true;
        i++;
        while (i < n) {
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (text[i] === "\n") line++;
          field += text[i++];
        }
        // Anything after the closing quote up to the delimiter is kept as is.
        while (i < n && text[i] !== delimiter && text[i] !== "\n" && text[i] !== "\r") field += text[i++];
      } else if (ch === delimiter) {
        sawAny = true;
        fields.push(field);
        field = "";
        i++;
      } else if (ch === "\r" || ch === "\n") {
        if (ch === "\r" && text[i + 1] === "\n") i++;
        i++;
        line++;
        atRecordEnd = true;
      } else {
        sawAny = true;
        field += ch;
        i++;
      }
    }
    if (!sawAny) continue; // blank line
    fields.push(field);
    out.push({ line: start, fields });
  }
  return out;
}

/** Quotes a value for CSV output when needed. */
export function csvField(value: string, delimiter = ","): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const DELIMITERS: { value: string; label: string }[] = [
  { value: ",", label: "Comma ( , )" },
  { value: ";", label: "Semicolon ( ; )" },
  { value: "\t", label: "Tab" },
  { value: "|", label: "Pipe ( | )" },
];

/** The delimiter that splits the header line into the most columns. */
export function guessDelimiter(text: string): string {
  const first = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  let best = ",";
  let most = 0;
  for (const { value } of DELIMITERS) {
    const count = first.split(value).length - 1;
    if (count > most) {
      most = count;
      best = value;
    }
  }
  return best;
}

export const IMPORT_FIELDS = ["email", "name", "phone", "status", "tags"] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number] | "custom";

const SYNONYMS: Record<(typeof IMPORT_FIELDS)[number], string[]> = {
  email: ["email", "e-mail", "email address", "e-mail address", "mail", "courriel"],
  name: ["name", "full name", "fullname", "contact", "contact name"],
  phone: ["phone", "telephone", "phone number", "mobile", "tel", "cell"],
  status: ["status", "lead status", "stage"],
  tags: ["tags", "tag", "labels"],
};

/** Each column's field from its header: email / name / phone / status / tags, else custom. */
export function autoMap(headers: string[]): ImportField[] {
  const used = new Set<string>();
  return headers.map((h) => {
    const key = h.trim().toLowerCase().replace(/[_\s]+/g, " ");
    for (const f of IMPORT_FIELDS) {
      if (!used.has(f) && SYNONYMS[f].includes(key)) {
        used.add(f);
        return f;
      }
    }
    return "custom";
  });
}

/**
 * The engine's mapping (contact field → column) for the chosen fields: every column is named
 * explicitly, so that a column left as a custom field is not taken by its header's name.
 */
export function toMapping(headers: string[], fields: ImportField[]): Record<string, string> {
  const mapping: Record<string, string> = {};
  headers.forEach((h, i) => {
    const name = h.trim();
    const f = fields[i];
    mapping[f === "custom" ? `custom.${name}` : f] = name;
  });
  return mapping;
}
