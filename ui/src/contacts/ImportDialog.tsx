//! CSV import: preview of the first rows, the column → field mapping (guessed from the headers),
//! the delimiter, then the import and its report (created, rejected rows with line and reason).
import { AlertTriangle, CheckCircle2, FileSpreadsheet, X } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { backend } from "../bridge";
import { errorMessage, type ImportReport } from "../bridge/types";
import { autoMap, DELIMITERS, guessDelimiter, IMPORT_FIELDS, type ImportField, parseCsv, toMapping } from "./csv";

const PREVIEW_ROWS = 5;
const FIELD_NAMES: Record<ImportField, string> = {
  email: "Email",
  name: "Name",
  phone: "Phone",
  status: "Status",
  tags: "Tags",
  custom: "Custom field",
};

export function ImportDialog({ file, onClose, onImported }: { file: File; onClose: () => void; onImported: () => void }) {
  const [text, setText] = useState<string | null>(null);
  const [delimiter, setDelimiter] = useState(",");
  const [fields, setFields] = useState<ImportField[]>([]);
  const [status, setStatus] = useState("new");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  useEffect(() => {
    let live = true;
    file.text().then(
      (t) => {
        if (!live) return;
        setText(t);
        setDelimiter(guessDelimiter(t));
      },
      (e) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [file]);

  const records = useMemo(() => (text === null ? [] : parseCsv(text, delimiter)), [text, delimiter]);
  const headers = useMemo(() => records[0]?.fields.map((h) => h.trim()) ?? [], [records]);
  // New headers (a new delimiter) get a fresh guess in the same render — never a frame with the
  // old mapping against the new columns.
  const [mappedHeaders, setMappedHeaders] = useState<string[]>([]);
  if (mappedHeaders !== headers) {
    setMappedHeaders(headers);
    setFields(autoMap(headers));
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && !busy && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [busy, onClose]);

  const setField = (i: number, f: ImportField) =>
    setFields((old) => old.map((x, j) => (j === i ? f : f !== "custom" && x === f ? "custom" : x)));

  const hasEmail = fields.includes("email");
  const dataRows = Math.max(0, records.length - 1);

  const run = async () => {
    if (text === null) return;
    setBusy(true);
    setError(null);
    try {
      const r = await backend.importContacts(text, delimiter, toMapping(headers, fields), status.trim() || null);
      setReport(r);
      onImported();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  // The generated type says `rejected_count`; accept `rejectedCount` too should the wire change.
  const rejectedCount = report ? ((report as { rejectedCount?: number }).rejectedCount ?? report.rejected_count ?? report.rejected.length) : 0;

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <div className="dialog ct-import" role="dialog" aria-modal="true" aria-label="Import contacts">
        <div className="dialog-head">
          <div className="ct-import-icon">
            <FileSpreadsheet size={18} />
          </div>
          <div style={{ flex: 1, minWidth: 0 }}>
            <h2>{report ? "Import finished" : "Import contacts"}</h2>
            <p className="ellipsis">
              {file.name}
              {text !== null && !report && ` · ${dataRows.toLocaleString()} row${dataRows === 1 ? "" : "s"} · ${headers.length} column${headers.length === 1 ? "" : "s"}`}
            </p>
          </div>
          <button type="button" className="btn ghost icon" aria-label="Close" onClick={onClose} disabled={busy}>
            <X size={16} />
          </button>
        </div>
        <div className="dialog-body">
          {report ? (
            <div data-testid="import-report">
              <div className="ct-stats">
                <div className="ct-stat ok">
                  <CheckCircle2 size={16} />
                  <strong data-testid="import-created">{report.created.toLocaleString()}</strong>
                  <span>created</span>
                </div>
                <div className={`ct-stat ${rejectedCount ? "warn" : ""}`}>
                  <AlertTriangle size={16} />
                  <strong data-testid="import-rejected">{rejectedCount.toLocaleString()}</strong>
                  <span>rejected</span>
                </div>
                <div className="ct-stat">
                  <strong>{report.rows.toLocaleString()}</strong>
                  <span>rows read</span>
                </div>
              </div>
              {report.rejected.length > 0 && (
                <>
                  <h3 className="ct-sub">Rejected rows</h3>
                  <div className="ct-rejected" role="table" aria-label="Rejected rows">
                    {report.rejected.map((r) => (
                      <div key={`${String(r.line)}-${r.reason}`} role="row" className="ct-rej-row">
                        <span role="cell" className="ct-line">
                          Line {Number(r.line)}
                        </span>
                        <span role="cell">{r.reason}</span>
                      </div>
                    ))}
                  </div>
                  {rejectedCount > report.rejected.length && <p className="hint">Only the first {report.rejected.length.toLocaleString()} are listed.</p>}
                </>
              )}
            </div>
          ) : text === null ? (
            <p className="muted">{error ?? "Reading the file…"}</p>
          ) : (
            <>
              <div className="ct-import-opts">
                <label className="field">
                  <span className="field-label">Delimiter</span>
                  <select className="select" aria-label="Delimiter" value={delimiter} onChange={(e) => setDelimiter(e.target.value)}>
                    {DELIMITERS.map((d) => (
                      <option key={d.value} value={d.value}>
                        {d.label}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="field">
                  <span className="field-label">Status for rows without one</span>
                  <input className="input" aria-label="Default status" value={status} onChange={(e) => setStatus(e.target.value)} />
                </label>
              </div>
              <h3 className="ct-sub">Map columns</h3>
              <p className="hint">Email, name, phone, status and tags are matched by header; other columns become custom fields.</p>
              <div className="ct-preview-wrap">
                <table className="ct-preview">
                  <thead>
                    <tr>
                      {headers.map((h, i) => (
                        <th key={`${h}-${i}`}>
                          <div className="ct-col-name">{h || <em>(no name)</em>}</div>
                          <select className={`select sm ${fields[i] === "custom" ? "" : "mapped"}`} aria-label={`Field for column ${h}`} value={fields[i] ?? "custom"} onChange={(e) => setField(i, e.target.value as ImportField)}>
                            {[...IMPORT_FIELDS, "custom" as const].map((f) => (
                              <option key={f} value={f}>
                                {f === "custom" ? `Custom: ${h}` : FIELD_NAMES[f]}
                              </option>
                            ))}
                          </select>
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {records.slice(1, 1 + PREVIEW_ROWS).map((r) => (
                      <tr key={r.line}>
                        {headers.map((_, i) => (
                          <td key={i}>{r.fields[i] ?? ""}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {dataRows > PREVIEW_ROWS && <p className="hint">Showing the first {PREVIEW_ROWS} of {dataRows.toLocaleString()} rows.</p>}
              {!hasEmail && <p className="ct-warn">Pick the column that holds the email address: every contact needs one.</p>}
              {error && (
                <div className="ct-error" role="alert">
                  {error}
                </div>
              )}
            </>
          )}
        </div>
        <div className="dialog-foot">
          {report ? (
            <button type="button" className="btn primary" onClick={onClose}>
              Done
            </button>
          ) : (
            <>
              <button type="button" className="btn" onClick={onClose} disabled={busy}>
                Cancel
              </button>
              <button type="button" className="btn primary" disabled={busy || text === null || !hasEmail || dataRows === 0} onClick={() => void run()}>
                {busy ? "Importing…" : `Import ${dataRows.toLocaleString()} row${dataRows === 1 ? "" : "s"}`}
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
