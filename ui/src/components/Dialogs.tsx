//! Renders the confirmation/prompt asked through `app/dialogStore.ts`, and the toasts.
import { useEffect, useRef, useState } from "react";
import { useDialog } from "../app/dialogStore";
import { useToasts } from "../app/toastStore";

export function DialogHost() {
  const current = useDialog((s) => s.current);
  const answer = useDialog((s) => s.answer);
  const [value, setValue] = useState("");
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    setValue(current?.input ?? "");
    if (current?.input !== undefined) setTimeout(() => input.current?.select(), 0);
  }, [current]);
  if (!current) return null;
  const confirm = () => answer({ choice: "confirm", value });
  const cancel = () => answer({ choice: "cancel", value });
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && cancel()}>
      <div
        className="dialog"
        role="alertdialog"
        aria-label={current.title}
        onKeyDown={(e) => {
          if (e.key === "Escape") cancel();
          if (e.key === "Enter" && (current.input === undefined || value.trim())) confirm();
          e.stopPropagation();
        }}
      >
        <div className="dialog-head">
          <h2>{current.title}</h2>
        </div>
        <div className="dialog-body">
          {current.message && <p>{current.message}</p>}
          {current.input !== undefined && (
            <input ref={input} className="input" aria-label={current.title} value={value} onChange={(e) => setValue(e.target.value)} />
          )}
        </div>
        <div className="dialog-foot">
          {current.extra && (
            <button type="button" className="btn" style={current.extra2 ? undefined : { marginRight: "auto" }} onClick={() => answer({ choice: "extra", value })}>
              {current.extra}
            </button>
          )}
          {current.extra2 && (
            <button type="button" className="btn" style={{ marginRight: "auto" }} onClick={() => answer({ choice: "extra2", value })}>
              {current.extra2}
            </button>
          )}
          <button type="button" className="btn" onClick={cancel}>
            {current.cancel ?? "Cancel"}
          </button>
          <button
            type="button"
            autoFocus={current.input === undefined}
            className={`btn ${current.danger ? "danger" : "primary"}`}
            disabled={current.input !== undefined && !value.trim()}
            onClick={confirm}
          >
            {current.confirm}
          </button>
        </div>
      </div>
    </div>
  );
}

export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.tone}`} role="status">
          {t.text}
        </div>
      ))}
    </div>
  );
}
