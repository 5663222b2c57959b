//! What Display logs and the run-wide log share: the search and level filter over log lines, and
//! the list itself.
import { useMemo, useState } from "react";
import type { LogLine } from "../bridge/types";

/** Search text and level over `lines`; `extra` lets a caller match more than the message. */
export function useLogFilter(lines: LogLine[], extra?: (line: LogLine) => string) {
  const [query, setQuery] = useState("");
  const [level, setLevel] = useState("");
  const shown = useMemo(() => {
    const q = query.toLowerCase();
    return lines.filter((l) => (!level || l.level === level) && (!q || l.message.toLowerCase().includes(q) || (extra?.(l).toLowerCase().includes(q) ?? false)));
  }, [lines, level, query, extra]);
  return { query, setQuery, level, setLevel, shown };
}

export function LogFilters({ filter, searchLabel, levelLabel }: { filter: ReturnType<typeof useLogFilter>; searchLabel: string; levelLabel: string }) {
  return (
    <div className="lp-filters">
      <input className="input" placeholder={searchLabel} aria-label={searchLabel} value={filter.query} onChange={(e) => filter.setQuery(e.target.value)} />
      <select className="select" aria-label={levelLabel} value={filter.level} onChange={(e) => filter.setLevel(e.target.value)}>
        <option value="">All levels</option>
        <option value="info">Info</option>
        <option value="warn">Warning</option>
        <option value="error">Error</option>
      </select>
    </div>
  );
}

export function LogList({ lines, shown, tag, empty }: { lines: LogLine[]; shown: LogLine[]; tag: (line: LogLine) => string; empty: string }) {
  return (
    <div className="log-lines">
      {shown.length === 0 && <p className="muted">{lines.length ? "No line matches." : empty}</p>}
      {shown.map((l) => (
        <div key={l.id} className={`log-line lvl-${l.level}`}>
          <span className="l-time">{new Date(l.at).toLocaleTimeString()}</span>
          <span className="l-lvl">{l.level}</span>
          <span className="l-att">{tag(l)}</span>
          <span className="l-msg">{l.message}</span>
        </div>
      ))}
    </div>
  );
}
