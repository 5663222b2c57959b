//! The palette: every activity kind grouped by role, with search; drag onto the canvas or onto a
//! transition, or double-click to add below the selection.
import { Search } from "lucide-react";
import { useMemo, useState } from "react";
import { useCatalog } from "../app/catalogStore";
import { ROLES, ROLE_META, kindIcon, roleColor } from "../app/roles";
import { useBody } from "../editor/editorStore";
import { PALETTE_MIME } from "../canvas/Canvas";

export function Palette() {
  const catalog = useCatalog((s) => s.entries);
  const body = useBody();
  const [query, setQuery] = useState("");
  const hasStart = body?.activities.some((a) => a.kind === "start") ?? false;
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    return ROLES.map((role) => ({
      role,
      items: catalog.filter(
        (c) => c.role === role && (!q || c.label.toLowerCase().includes(q) || c.description.toLowerCase().includes(q) || c.kind.includes(q)),
      ),
    })).filter((g) => g.items.length > 0);
  }, [catalog, query]);
  return (
    <aside className="palette" aria-label="Activities">
      <div className="palette-head">
        <div className="search" style={{ width: "100%" }}>
          <Search size={15} />
          <input className="input" placeholder="Search activities" aria-label="Search activities" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
      </div>
      <div className="palette-list">
        {groups.map((g) => (
          <section key={g.role} className="palette-group">
            <h4>
              <i style={{ background: roleColor(g.role) }} />
              {ROLE_META[g.role].name}
            </h4>
            {g.items.map((c) => {
              const Icon = kindIcon(c.kind, c.role);
              const disabled = c.kind === "start" && hasStart;
              return (
                <div
                  key={c.kind}
                  className="palette-item"
                  draggable={!disabled}
                  aria-disabled={disabled}
                  data-tip={disabled ? "A workflow has exactly one Start." : c.description}
                  data-testid={`palette-${c.kind}`}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(PALETTE_MIME, c.kind);
                    e.dataTransfer.effectAllowed = "copy";
                  }}
                >
                  <div className="pi-icon role-tint" style={{ "--c": roleColor(c.role) } as React.CSSProperties}>
                    <Icon size={15} strokeWidth={2.2} />
                  </div>
                  <div className="pi-text">
                    <strong>{c.label}</strong>
                    <span>{c.description}</span>
                  </div>
                </div>
              );
            })}
          </section>
        ))}
      </div>
    </aside>
  );
}
