//! A small picture of a template: its activities as role-coloured blocks at their canvas
//! positions and its transitions as lines, scaled to fit — so the gallery shows each template's
//! shape before it is chosen.
import type { WorkflowFile } from "../bridge/types";

const W = 240;
const H = 96;
const NODE_W = 240;
const NODE_H = 64;

export function TemplatePreview({ body }: { body: WorkflowFile }) {
  const acts = body.activities ?? [];
  if (acts.length === 0) return null;
  const xs = acts.map((a) => a.position.x);
  const ys = acts.map((a) => a.position.y);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const spanX = Math.max(...xs) - minX + NODE_W;
  const spanY = Math.max(...ys) - minY + NODE_H;
  const scale = Math.min((W - 16) / spanX, (H - 12) / spanY);
  const offX = (W - spanX * scale) / 2;
  const offY = (H - spanY * scale) / 2;
  const at = new Map(acts.map((a) => [a.id, { x: offX + (a.position.x - minX) * scale, y: offY + (a.position.y - minY) * scale }]));
  const w = NODE_W * scale;
  const h = Math.max(NODE_H * scale, 3);
  return (
    <svg className="template-preview" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Shape of ${body.name}: ${acts.length} activities`}>
      {(body.transitions ?? []).map((t) => {
        const a = at.get(t.from);
        const b = at.get(t.to);
        if (!a || !b) return null;
        return <line key={`${t.from}:${t.port}->${t.to}`} x1={a.x + w / 2} y1={a.y + h} x2={b.x + w / 2} y2={b.y} className="tp-edge" />;
      })}
      {acts.map((a) => {
        const p = at.get(a.id);
        if (!p) return null;
        const role = a.role ?? roleOfKind(a.kind);
        return <rect key={a.id} x={p.x} y={p.y} width={w} height={h} rx={Math.min(4, h / 2)} style={{ fill: `var(--role-${role})` }} className="tp-node" />;
      })}
    </svg>
  );
}

/** The role of a kind, for files that do not spell it out. */
function roleOfKind(kind: string): string {
  if (kind === "start" || kind === "finish" || kind === "wait" || kind === "approval" || kind === "condition") return kind;
  if (kind.endsWith("_trigger")) return "trigger";
  if (kind === "loop") return "condition";
  if (kind === "fork" || kind === "join") return "parallel";
  return "action";
}
