//! A floating panel at a screen point that closes on outside click and Escape and stays inside
//! the window. Used by every menu.
import { type ReactNode, useLayoutEffect, useRef, useState } from "react";
import { useEffect } from "react";

type Props = { x: number; y: number; onClose: () => void; className?: string; children: ReactNode; label: string };

export function Popover({ x, y, onClose, className = "", children, label }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState({ left: x, top: y });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    setPos({
      left: Math.max(8, Math.min(x, window.innerWidth - r.width - 8)),
      top: Math.max(8, Math.min(y, window.innerHeight - r.height - 8)),
    });
  }, [x, y]);
  useEffect(() => {
    const down = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener("mousedown", down, true);
    window.addEventListener("keydown", key, true);
    return () => {
      window.removeEventListener("mousedown", down, true);
      window.removeEventListener("keydown", key, true);
    };
  }, [onClose]);
  return (
    <div ref={ref} role="menu" aria-label={label} className={`menu ${className}`} style={pos} onContextMenu={(e) => e.preventDefault()}>
      {children}
    </div>
  );
}

export type MenuEntry =
  | "sep"
  | {
      label: string;
      icon?: ReactNode;
      shortcut?: string;
      disabled?: boolean;
      /** Why it is disabled (tooltip). */
      reason?: string;
      checked?: boolean;
      danger?: boolean;
      onSelect: () => void;
    };

/** A list of menu items; selecting one closes the menu first. */
export function MenuItems({ items, onClose }: { items: MenuEntry[]; onClose: () => void }) {
  const anyCheck = items.some((it) => it !== "sep" && it.checked !== undefined);
  return (
    <>
      {items.map((it, i) =>
        it === "sep" ? (
          <div key={`sep-${i}`} className="menu-sep" />
        ) : (
          <button
            key={it.label}
            type="button"
            role="menuitem"
            className={`menu-item${it.danger ? " danger" : ""}`}
            disabled={it.disabled}
            title={it.disabled ? it.reason : undefined}
            aria-checked={it.checked}
            aria-label={it.label}
            onClick={() => {
              onClose();
              it.onSelect();
            }}
          >
            {anyCheck && <span className="menu-check">{it.checked ? "✓" : ""}</span>}
            {it.icon}
            <span>{it.label}</span>
            {it.shortcut && <span className="shortcut">{it.shortcut}</span>}
          </button>
        ),
      )}
    </>
  );
}

/** A button that opens a dropdown menu under itself. */
export function MenuButton({ button, items, label }: { button: (open: (e: React.MouseEvent) => void) => ReactNode; items: MenuEntry[]; label: string }) {
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);
  return (
    <>
      {button((e) => {
        const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
        setAt({ x: r.left, y: r.bottom + 4 });
      })}
      {at && (
        <Popover x={at.x} y={at.y} onClose={() => setAt(null)} label={label}>
          <MenuItems items={items} onClose={() => setAt(null)} />
        </Popover>
      )}
    </>
  );
}
