//! After a crash: the next start says so and offers the report the app wrote to the data folder
//! (version, panic, last log lines). The report stays on this computer; Dismiss stops offering it.
import { useEffect, useState } from "react";
import { shell } from "../bridge/shell";
import type { CrashReport } from "../bridge/types";

export function CrashOffer() {
  const [reports, setReports] = useState<CrashReport[]>([]);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    void shell.crashReports().then(setReports, () => setReports([]));
  }, []);
  const latest = reports[0];
  if (!latest) return null;
  const dismiss = async () => {
    await Promise.all(reports.map((r) => shell.dismissCrashReport(r.name).catch(() => {})));
    setReports([]);
  };
  return (
    <div className="overlay">
      <div className={`dialog${open ? " wide" : ""}`} role="alertdialog" aria-label="Weft closed unexpectedly" data-testid="crash-offer">
        <div className="dialog-head">
          <div>
            <h2>Weft closed unexpectedly</h2>
            <p>A report was written on this computer; it is never sent anywhere.</p>
          </div>
        </div>
        <div className="dialog-body">
          <p>
            {reports.length > 1 ? `${reports.length} reports, the latest: ` : "Report: "}
            <code className="crash-path">{latest.path}</code>
          </p>
          {open && (
            <pre className="crash-text" data-testid="crash-text">
              {latest.text}
            </pre>
          )}
        </div>
        <div className="dialog-foot">
          <button type="button" className="btn" style={{ marginRight: "auto" }} onClick={() => setOpen((o) => !o)}>
            {open ? "Hide report" : "Open report"}
          </button>
          <button type="button" className="btn primary" autoFocus onClick={() => void dismiss()}>
            Dismiss
          </button>
        </div>
      </div>
    </div>
  );
}
