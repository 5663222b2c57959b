//! Custom form widgets: expressions/templates, durations, paths, cron expressions, time zones.
import type { WidgetProps } from "@rjsf/utils";
import { Braces, FolderOpen } from "lucide-react";
import { isCron } from "./schemaForm";

const text = (v: unknown) => (v === undefined || v === null ? "" : String(v));
const out = (props: WidgetProps, v: string) => props.onChange(v === "" ? props.options.emptyValue : v);

export function ExpressionWidget(props: WidgetProps) {
  const v = text(props.value);
  const multiline = v.includes("\n") || v.length > 60 || /body|content|message|command/.test(props.id);
  const common = {
    id: props.id,
    className: "input mono",
    value: v,
    placeholder: props.placeholder || "e.g. {{ params.name }}",
    disabled: props.disabled || props.readonly,
    onBlur: () => props.onBlur(props.id, v),
    onFocus: () => props.onFocus(props.id, v),
    "aria-label": props.label,
  };
  return (
    <div>
      {multiline ? (
        <textarea {...common} rows={3} onChange={(e) => out(props, e.target.value)} />
      ) : (
        <input {...common} onChange={(e) => out(props, e.target.value)} />
      )}
      {props.options.hint !== false && (
      <div className="expr-hint">
        <Braces size={11} style={{ verticalAlign: -1 }} /> Expressions: <code>{"{{ params.x }}"}</code> <code>{"{{ vars.y }}"}</code>{" "}
        <code>{"{{ tasks.id.result }}"}</code>
      </div>
      )}
    </div>
  );
}

const DURATION_CHIPS = ["30s", "5m", "1h", "1d"];

export function DurationWidget(props: WidgetProps) {
  const v = text(props.value);
  return (
    <div>
      <input
        id={props.id}
        className="input mono"
        value={v}
        placeholder="e.g. 5m or 1h 30m"
        aria-label={props.label}
        onChange={(e) => out(props, e.target.value)}
        onBlur={() => props.onBlur(props.id, v)}
      />
      <div className="chips">
        {DURATION_CHIPS.map((c) => (
          <button key={c} type="button" className="chip" onClick={() => props.onChange(c)}>
            {c}
          </button>
        ))}
      </div>
    </div>
  );
}

export function PathWidget(props: WidgetProps) {
  const v = text(props.value);
  return (
    <div className="widget-row">
      <FolderOpen size={16} style={{ color: "var(--text-3)", flex: "none" }} />
      <input
        id={props.id}
        className="input mono"
        value={v}
        placeholder="/path/to/file"
        aria-label={props.label}
        onChange={(e) => out(props, e.target.value)}
        onBlur={() => props.onBlur(props.id, v)}
      />
    </div>
  );
}

const CRON_PRESETS: [string, string][] = [
  ["Every hour", "0 * * * *"],
  ["Daily 09:00", "0 9 * * *"],
  ["Weekdays 07:00", "0 7 * * 1-5"],
  ["Mondays 08:00", "0 8 * * 1"],
];

export function describeCron(v: string): string | null {
  if (!isCron(v)) return null;
  const [min, hour, dom, mon, dow] = v.trim().split(/\s+/);
  const at = /^\d+$/.test(min) && /^\d+$/.test(hour) ? `at ${hour.padStart(2, "0")}:${min.padStart(2, "0")}` : `minute ${min}, hour ${hour}`;
  const days = dow === "*" ? (dom === "*" ? "every day" : `on day ${dom}`) : dow === "1-5" ? "on weekdays" : `on weekday ${dow}`;
  return `Runs ${days} ${at}${mon !== "*" ? `, month ${mon}` : ""}`;
}

export function CronWidget(props: WidgetProps) {
  const v = text(props.value);
  const human = v ? describeCron(v) : null;
  return (
    <div>
      <input
        id={props.id}
        className="input mono"
        value={v}
        placeholder="min hour day month weekday"
        aria-label={props.label}
        onChange={(e) => out(props, e.target.value)}
        onBlur={() => props.onBlur(props.id, v)}
      />
      <div className="chips">
        {CRON_PRESETS.map(([label, cron]) => (
          <button key={cron} type="button" className="chip" title={cron} onClick={() => props.onChange(cron)}>
            {label}
          </button>
        ))}
      </div>
      {v && (human ? <div className="cron-human">{human}</div> : <div className="expr-hint" style={{ color: "var(--danger)" }}>Not a five-field cron expression</div>)}
    </div>
  );
}

const ZONES = ["UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "America/New_York", "America/Chicago", "America/Los_Angeles", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney"];

export function TimezoneWidget(props: WidgetProps) {
  const v = text(props.value);
  return (
    <>
      <input id={props.id} className="input" list={`${props.id}-zones`} value={v} placeholder="UTC" aria-label={props.label} onChange={(e) => out(props, e.target.value)} />
      <datalist id={`${props.id}-zones`}>
        {ZONES.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}

export const widgets = {
  expression: ExpressionWidget,
  duration: DurationWidget,
  path: PathWidget,
  cron: CronWidget,
  timezone: TimezoneWidget,
};
