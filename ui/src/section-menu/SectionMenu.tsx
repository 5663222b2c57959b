//! The section menu: the activities allowed after an output or inside a transition, with search
//! and keyboard navigation. Choosing one inserts it and opens its section modal.
import { useMemo, useState } from "react";
import { useCatalog } from "../app/catalogStore";
import { ROLE_META, kindIcon, roleColor } from "../app/roles";
import { Popover } from "../components/Popover";
import { insertKind } from "../editor/actions";
import { useBody } from "../editor/editorStore";
import { useEditorUi } from "../editor/uiStore";
import { sectionMenuItems } from "./rules";

export function SectionMenu() {
  const menu = useEditorUi((s) => s.sectionMenu);
  const close = () => useEditorUi.getState().set({ sectionMenu: null });
  if (!menu) return null;
  return <SectionMenuPanel key={`${menu.x},${menu.y}`} onClose={close} />;
}

function SectionMenuPanel({ onClose }: { onClose: () => void }) {
  const menu = useEditorUi((s) => s.sectionMenu)!;
  const body = useBody();
  const catalog = useCatalog((s) => s.entries);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const fromId = menu.at.type === "after" ? menu.at.from : menu.at.transition.from;
  const from = body?.activities.find((a) => a.id === fromId);
  const fromRole = from?.role ?? catalog.find((c) => c.kind === from?.kind)?.role ?? "action";
  const items = useMemo(
    () => sectionMenuItems(catalog, { fromRole, onTransition: menu.at.type === "transition" }, query),
    [catalog, fromRole, menu.at.type, query],
  );
  const choose = (i: number) => {
    const c = items[i];
    if (c) insertKind(c.kind, menu.at);
  };
  return (
    <Popover x={menu.x} y={menu.y} onClose={onClose} className="section-menu" label="Add an activity">
      <div className="sm-search">
        <input
          className="input"
          autoFocus
          placeholder="Search activities…"
          aria-label="Search activities to add"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") setActive((a) => Math.min(items.length - 1, a + 1));
            else if (e.key === "ArrowUp") setActive((a) => Math.max(0, a - 1));
            else if (e.key === "Enter") choose(active);
            else return;
            e.preventDefault();
          }}
        />
      </div>
      <div className="sm-list" role="listbox" aria-label="Allowed activities">
        {items.length === 0 && <div className="menu-title">Nothing matches</div>}
        {items.map((c, i) => {
          const Icon = kindIcon(c.kind, c.role);
          const header = i === 0 || items[i - 1].role !== c.role;
          return (
            <div key={c.kind}>
              {header && <div className="menu-title">{ROLE_META[c.role].name}</div>}
              <button
                type="button"
                role="option"
                aria-selected={i === active}
                className={`sm-item${i === active ? " active" : ""}`}
                data-kind={c.kind}
                onMouseEnter={() => setActive(i)}
                onClick={() => choose(i)}
              >
                <div className="pi-icon role-tint" style={{ "--c": roleColor(c.role) } as React.CSSProperties}>
                  <Icon size={15} strokeWidth={2.2} />
                </div>
                <div>
                  <strong>{c.label}</strong>
                  <span>{c.description}</span>
                </div>
              </button>
            </div>
          );
        })}
      </div>
    </Popover>
  );
}
