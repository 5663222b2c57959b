//! The frame of a dialog that is a form: overlay (a click outside closes), Escape closes, Enter
//! submits; a head with icon, title and subtitle; the fields; Cancel and the submit button.
import type { ReactNode } from "react";

export function FormDialog({
  title,
  subtitle,
  icon,
  submitLabel,
  submitDisabled,
  onSubmit,
  onClose,
  children,
}: {
  title: string;
  subtitle: string;
  icon: ReactNode;
  submitLabel: string;
  submitDisabled: boolean;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form
        className="dialog wide"
        role="dialog"
        aria-label={title}
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
        onKeyDown={(e) => e.key === "Escape" && onClose()}
      >
        <div className="dialog-head">
          <div className="card-icon">{icon}</div>
          <div>
            <h2>{title}</h2>
            <p>{subtitle}</p>
          </div>
        </div>
        <div className="dialog-body">{children}</div>
        <div className="dialog-foot">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={submitDisabled}>
            {submitLabel}
          </button>
        </div>
      </form>
    </div>
  );
}
