//! The Contacts view: the local leads database as a virtualised table with search, a structured
//! filter builder, CSV import / export and, on an empty database, the demo leads offer.
import { Download, Filter as FilterIcon, Plus, RotateCw, Search, Sparkles, Upload, Users, X } from "lucide-react";
import { type CSSProperties, useEffect, useLayoutEffect, useRef, useState } from "react";
import { toast } from "../app/toastStore";
import { backend } from "../bridge";
import { type Contact, errorMessage, type Operator } from "../bridge/types";
import "./contacts.css";
import { useContacts } from "./contactsStore";
import { exportFiltered } from "./exportCsv";
import { BUILTIN_FIELDS, fieldKind, fieldLabel, needsValue, operatorLabel, operatorsFor, type RuleDraft, validCustomName, withField } from "./filter";
import { ImportDialog } from "./ImportDialog";

const ROW_H = 44;
const OVERSCAN = 10;
const DEMO_COUNT = 3000;

const STATUS_TONES: Record<string, string> = {
  new: "blue",
  contacted: "amber",
  qualified: "violet",
  customer: "green",
  lost: "grey",
};

export function StatusPill({ status }: { status: string }) {
  return (
    <span className={`ct-pill tone-${STATUS_TONES[status.toLowerCase()] ?? "neutral"}`}>
      <span className="dot" />
      {status || "—"}
    </span>
  );
}

const STATUSES = ["new", "contacted", "qualified", "customer", "lost"];

/** The status pill doubles as a select: changing it saves the contact at once. */
function StatusSelect({ id, status }: { id: number; status: string }) {
  const options = STATUSES.includes(status) ? STATUSES : [status, ...STATUSES];
  return (
    <label className={`ct-pill ct-pill-select tone-${STATUS_TONES[status.toLowerCase()] ?? "neutral"}`}>
      <span className="dot" />
      <select aria-label={`Status of contact ${id}`} value={status} onChange={(e) => void useContacts.getState().setStatus(id, e.target.value)}>
        {options.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
}

function hue(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) % 360;
  return h;
}

function initials(c: Contact): string {
  const parts = (c.name || c.email).split(/[\s.@_-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "") + (parts[1]?.[0] ?? "")).toUpperCase() || "?";
}

const dateFmt = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", year: "numeric" });

function ContactRow({ c, top }: { c: Contact; top: number }) {
  return (
    <div className="ct-row" role="row" data-testid="contact-row" style={{ transform: `translateY(${top}px)` }}>
      <span role="cell" className="c-email">
        <span className="ct-avatar" style={{ "--h": hue(c.email) } as CSSProperties} aria-hidden="true">
          {initials(c)}
        </span>
        <span className="ellipsis" title={c.email}>
          {c.email}
        </span>
      </span>
      <span role="cell" className="ellipsis">
        {c.name || <span className="muted">—</span>}
      </span>
      <span role="cell" className="ellipsis mono-num">
        {c.phone || <span className="muted">—</span>}
      </span>
      <span role="cell">
        <StatusSelect id={c.id} status={c.status} />
      </span>
      <span role="cell" className="ct-tags">
        {c.tags.map((t) => (
          <span key={t} className="ct-tag">
            {t}
          </span>
        ))}
      </span>
      <span role="cell" className="muted num" title={new Date(c.createdAt).toLocaleString()}>
        {dateFmt.format(c.createdAt)}
      </span>
    </div>
  );
}

function RuleRow({ draft, index, customs }: { draft: RuleDraft; index: number; customs: string[] }) {
  const { updateRule, removeRule, match, setMatch } = useContacts();
  const isCustom = draft.field.startsWith("custom.");
  const knownCustom = isCustom && customs.includes(draft.field.slice(7));
  const [customName, setCustomName] = useState(isCustom ? draft.field.slice(7) : "");
  const fieldValue = isCustom && !knownCustom ? "custom:" : draft.field;
  const kind = fieldKind(draft.field);
  const n = index + 1;
  return (
    <div className="ct-rule" data-testid="filter-rule">
      <span className="ct-rule-join">
        {index === 0 ? (
          "Where"
        ) : index === 1 ? (
          <select className="select sm" aria-label="Combine rules" value={match} onChange={(e) => setMatch(e.target.value as "all" | "any")}>
            <option value="all">and</option>
            <option value="any">or</option>
          </select>
        ) : match === "all" ? (
          "and"
        ) : (
          "or"
        )}
      </span>
      <select
        className="select sm"
        aria-label={`Rule ${n} field`}
        value={fieldValue}
        onChange={(e) => {
          const v = e.target.value;
          if (v === "custom:") {
            setCustomName("");
            updateRule(draft.id, withField(draft, "custom."));
          } else updateRule(draft.id, withField(draft, v));
        }}
      >
        <optgroup label="Fields">
          {BUILTIN_FIELDS.map((f) => (
            <option key={f} value={f}>
              {fieldLabel(f)}
            </option>
          ))}
        </optgroup>
        <optgroup label="Custom fields">
          {customs.map((c) => (
            <option key={c} value={`custom.${c}`}>
              {c}
            </option>
          ))}
          <option value="custom:">Other custom field…</option>
        </optgroup>
      </select>
      {isCustom && !knownCustom && (
        <input
          className={`input sm ct-custom-name${customName && !validCustomName(customName) ? " invalid" : ""}`}
          aria-label={`Rule ${n} custom field name`}
          placeholder="field name"
          value={customName}
          onChange={(e) => {
            setCustomName(e.target.value);
            updateRule(draft.id, { ...draft, field: `custom.${e.target.value.trim()}` });
          }}
        />
      )}
      <select className="select sm" aria-label={`Rule ${n} operator`} value={draft.op} onChange={(e) => updateRule(draft.id, { ...draft, op: e.target.value as Operator })}>
        {operatorsFor(draft.field).map((op) => (
          <option key={op} value={op}>
            {operatorLabel(draft.field, op)}
          </option>
        ))}
      </select>
      {needsValue(draft.op) && (
        <input
          className="input sm ct-rule-value"
          aria-label={`Rule ${n} value`}
          type={kind === "date" ? "date" : "text"}
          placeholder={draft.op === "in" ? "a, b, c" : kind === "tags" ? "tag" : draft.field === "status" ? "e.g. qualified" : "value"}
          list={draft.field === "status" ? "ct-statuses" : undefined}
          value={draft.value}
          onChange={(e) => updateRule(draft.id, { ...draft, value: e.target.value })}
        />
      )}
      <button type="button" className="btn ghost icon sm" aria-label={`Remove rule ${n}`} title="Remove rule" onClick={() => removeRule(draft.id)}>
        <X size={14} />
      </button>
    </div>
  );
}

function EmptyDatabase({ onImport }: { onImport: () => void }) {
  const refresh = useContacts((s) => s.refresh);
  const [busy, setBusy] = useState(false);
  const addDemo = async () => {
    setBusy(true);
    try {
      const n = await backend.demoContacts(DEMO_COUNT);
      toast(`Added ${n.toLocaleString()} demo leads`);
      await refresh();
    } catch (e) {
      toast(errorMessage(e), "error");
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="ct-empty" data-testid="contacts-empty">
      <div className="ct-empty-icon">
        <Users size={26} />
      </div>
      <h2>No contacts yet</h2>
      <p>Your leads live in a local database on this computer. Import a CSV file, or add demo leads to explore filters and workflows.</p>
      <div className="ct-empty-actions">
        <button type="button" className="btn primary" disabled={busy} onClick={() => void addDemo()}>
          <Sparkles size={15} />
          {busy ? "Adding demo leads…" : "Add demo leads"}
        </button>
        <button type="button" className="btn" onClick={onImport}>
          <Upload size={15} />
          Import CSV
        </button>
      </div>
      <p className="hint">Demo data adds {DEMO_COUNT.toLocaleString()} generated leads and is only offered while the database is empty.</p>
    </div>
  );
}

export function ContactsScreen() {
  const s = useContacts();
  const [query, setQuery] = useState(s.search);
  const [scroll, setScroll] = useState({ top: 0, height: 600 });
  const [importing, setImporting] = useState<File | null>(null);
  const body = useRef<HTMLDivElement>(null);
  const emptyDb = s.total === 0;
  const fileInput = useRef<HTMLInputElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: once on mount
  useEffect(() => {
    void s.init();
  }, []);

  // Workflows change contacts too (imports, updates): re-count when a run ends.
  useEffect(() => {
    const off = backend.onEvent((e) => {
      if (e.kind !== "run_status") return;
      backend.countContacts().then((total) => {
        const st = useContacts.getState();
        if (total === st.total) return;
        // Out of the empty state (or into it): load the rows; otherwise keep the scroll position.
        if (total === 0 || st.total === 0 || st.rows.length === 0) void st.refresh();
        else useContacts.setState({ total });
      }, () => {});
    });
    return () => {
      void off.then((f) => f());
    };
  }, []);

  useEffect(() => {
    const t = setTimeout(() => useContacts.getState().setSearch(query), 200);
    return () => clearTimeout(t);
  }, [query]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the body mounts when the database has rows
  useLayoutEffect(() => {
    const el = body.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setScroll({ top: el.scrollTop, height: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, [emptyDb]);

  // Back to the top when the query changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on a new query only
  useEffect(() => {
    if (body.current) body.current.scrollTop = 0;
    setScroll((v) => ({ ...v, top: 0 }));
  }, [s.filter, s.search]);

  const first = Math.max(0, Math.floor(scroll.top / ROW_H) - OVERSCAN);
  const last = Math.min(s.rows.length, Math.ceil((scroll.top + scroll.height) / ROW_H) + OVERSCAN);

  // Keyset paging: fetch the next page when the window nears the end of what is loaded.
  useEffect(() => {
    if (!s.done && !s.loading && last >= s.rows.length - OVERSCAN * 2 && s.rows.length > 0) void s.loadMore();
  }, [last, s.rows.length, s.done, s.loading, s.loadMore]);

  const exportCsv = async () => {
    try {
      const n = await exportFiltered(s.filter, s.search);
      toast(`Exported ${n.toLocaleString()} contact${n === 1 ? "" : "s"}`);
    } catch (e) {
      toast(errorMessage(e), "error");
    }
  };

  const filtering = s.search.trim() !== "" || s.filter.rules.length > 0;
  const matching = s.done ? s.rows.length.toLocaleString() : `${s.rows.length.toLocaleString()}+`;

  return (
    <div className="page ct-page">
      <div className="ct-inner">
        <div className="page-head">
          <div>
            <h1>Contacts</h1>
            <p data-testid="contacts-total">
              {s.total === null ? "Loading…" : `${s.total.toLocaleString()} contact${s.total === 1 ? "" : "s"} in your local database`}
            </p>
          </div>
          <div className="spacer" />
          <button type="button" className="btn" onClick={() => fileInput.current?.click()}>
            <Upload size={15} />
            Import CSV
          </button>
          <button type="button" className="btn" disabled={emptyDb} onClick={() => void exportCsv()} title="Download the contacts matching the current search and filter as CSV">
            <Download size={15} />
            Export CSV
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".csv,text/csv,text/plain"
            hidden
            data-testid="contacts-import-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) setImporting(f);
              e.target.value = "";
            }}
          />
        </div>

        {emptyDb ? (
          <EmptyDatabase onImport={() => fileInput.current?.click()} />
        ) : (
          <>
            <div className="ct-toolbar">
              <label className="ct-search">
                <Search size={15} />
                <input type="search" placeholder="Search email or name" aria-label="Search contacts" value={query} onChange={(e) => setQuery(e.target.value)} />
              </label>
              <div className="ct-seg" role="group" aria-label="Match">
                <button type="button" aria-pressed={s.match === "all"} onClick={() => s.setMatch("all")} title="Contacts matching every rule">
                  All rules
                </button>
                <button type="button" aria-pressed={s.match === "any"} onClick={() => s.setMatch("any")} title="Contacts matching at least one rule">
                  Any rule
                </button>
              </div>
              <button type="button" className="btn" onClick={s.addRule}>
                <FilterIcon size={14} />
                Add filter
              </button>
              {filtering && (
                <button type="button" className="btn ghost" onClick={() => { setQuery(""); s.clearFilters(); }}>
                  Clear
                </button>
              )}
              <div className="spacer" />
              <button type="button" className="btn ghost icon sm" aria-label="Reload contacts" title="Reload" onClick={() => void s.refresh()}>
                <RotateCw size={14} />
              </button>
              <span className="muted ct-count" data-testid="contacts-matching">
                {filtering ? `${matching} matching` : `${matching} shown`}
              </span>
            </div>
            {s.drafts.length > 0 && (
              <div className="ct-builder" role="group" aria-label="Filter rules">
                {s.drafts.map((d, i) => (
                  <RuleRow key={d.id} draft={d} index={i} customs={s.customs} />
                ))}
                <button type="button" className="btn ghost sm ct-add-rule" onClick={s.addRule}>
                  <Plus size={14} />
                  Add rule
                </button>
              </div>
            )}
            <datalist id="ct-statuses">
              {Object.keys(STATUS_TONES).map((k) => (
                <option key={k} value={k} />
              ))}
            </datalist>
            {s.error && (
              <div className="ct-error" role="alert">
                {s.error}
              </div>
            )}
            <div className="ct-table" role="table" aria-label="Contacts" aria-rowcount={s.rows.length}>
              <div className="ct-row ct-head" role="row">
                <span role="columnheader">Email</span>
                <span role="columnheader">Name</span>
                <span role="columnheader">Phone</span>
                <span role="columnheader">Status</span>
                <span role="columnheader">Tags</span>
                <span role="columnheader">Created</span>
              </div>
              <div className="ct-body" ref={body} data-testid="contacts-scroll" onScroll={(e) => setScroll({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}>
                {s.rows.length === 0 && s.done && !s.error && (
                  <div className="ct-nomatch">
                    <Search size={20} />
                    <h3>No contacts match</h3>
                    <p>Try another search or loosen the filter rules.</p>
                  </div>
                )}
                <div style={{ height: s.rows.length * ROW_H, position: "relative" }}>
                  {s.rows.slice(first, last).map((c, i) => (
                    <ContactRow key={c.id} c={c} top={(first + i) * ROW_H} />
                  ))}
                </div>
              </div>
              <div className="ct-foot muted">
                {s.loading ? "Loading…" : s.done ? `All ${s.rows.length.toLocaleString()} loaded` : `${s.rows.length.toLocaleString()} loaded · scroll for more`}
                <span className="spacer" />
                {s.total !== null && `${s.total.toLocaleString()} in database`}
              </div>
            </div>
          </>
        )}
      </div>
      {importing && <ImportDialog file={importing} onClose={() => setImporting(null)} onImported={() => void s.refresh()} />}
    </div>
  );
}
