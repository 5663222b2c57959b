//! The app's own tooltips, instead of the browser's `title` (which WebKitGTK kept drawn over an
//! open right-click menu, and after the button's screen was gone). An element asks for one with
//! a `data-tip` attribute; one host, mounted once, shows the tip of the element under the pointer
//! (after a short rest) or with the keyboard focus, and links it with `aria-describedby` while it
//! shows. It closes on any press, right-click, key, wheel or scroll, when the element goes away
//! (navigation), and it is never shown while a menu or a dialog is open, nor drawn over one.
import { useEffect, useRef, useState } from "react";

/** The tooltip element's id: what the described element's `aria-describedby` points at. */
export const TIP_ID = "weft-tooltip";

/** How long the pointer rests on an element before its tip shows. */
export const TIP_DELAY_MS = 450;

/** What covers the page and must never have a tooltip drawn over it. */
const COVERS = '[role="menu"], [role="dialog"], [role="alertdialog"], .overlay';

/** The nearest element at or above `from` that asks for a tooltip, with its text. */
export function tipTarget(from: EventTarget | null): { el: HTMLElement; text: string } | null {
  const el = from instanceof Element ? from.closest<HTMLElement>("[data-tip]") : null;
  const text = el?.dataset.tip?.trim();
  return el && text ? { el, text } : null;
}

/** True when a menu or a dialog is open that `el` is not part of: its tip would cover it. */
export function covered(el: Element, doc: Document = document): boolean {
  for (const c of doc.querySelectorAll(COVERS)) if (!c.contains(el)) return true;
  return false;
}

/**
 * Where a tip of `tip` size goes for an element at `anchor`: centred below it, above it when it
 * would leave the window at the bottom, and kept 8 px inside the window's sides.
 */
export function placeTip(
  anchor: { left: number; top: number; width: number; height: number },
  tip: { width: number; height: number },
  view: { width: number; height: number },
): { left: number; top: number } {
  const gap = 6;
  let top = anchor.top + anchor.height + gap;
  if (top + tip.height > view.height - 8) top = Math.max(8, anchor.top - gap - tip.height);
  const centred = anchor.left + anchor.width / 2 - tip.width / 2;
  const left = Math.max(8, Math.min(centred, view.width - tip.width - 8));
  return { left, top };
}

type Shown = { el: HTMLElement; text: string };

/** Mounted once by the app shell. */
export function TooltipHost() {
  const [shown, setShown] = useState<Shown | null>(null);
  const [pos, setPos] = useState<{ left: number; top: number } | null>(null);
  const tipRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current: Shown | null = null;
    const hide = () => {
      clearTimeout(timer);
      if (!current) return;
      current.el.removeAttribute("aria-describedby");
      current = null;
      setShown(null);
      setPos(null);
    };
    const show = (t: Shown) => {
      if (!t.el.isConnected || covered(t.el)) return;
      if (current?.el === t.el && current.text === t.text) return;
      hide();
      current = t;
      t.el.setAttribute("aria-describedby", TIP_ID);
      setShown(t);
    };
    const over = (e: PointerEvent) => {
      const t = tipTarget(e.target);
      if (t?.el === current?.el) return;
      hide();
      if (!t || e.buttons !== 0) return;
      timer = setTimeout(() => show(t), TIP_DELAY_MS);
    };
    const out = (e: PointerEvent) => {
      const t = tipTarget(e.target);
      if (t?.el.contains(e.relatedTarget as Node | null)) return;
      hide();
    };
    const focusIn = (e: FocusEvent) => {
      const t = tipTarget(e.target);
      // Only a keyboard focus shows a tip at once (a click also focuses, and closes tips).
      if (t && (e.target as Element).matches(":focus-visible")) show(t);
    };
    // The element went away (its screen was left) or a menu or dialog opened: the tip goes.
    const watch = new MutationObserver(() => {
      if (current && (!current.el.isConnected || covered(current.el))) hide();
    });
    watch.observe(document.body, { childList: true, subtree: true });
    const opts = { capture: true, passive: true } as const;
    window.addEventListener("pointerover", over, opts);
    window.addEventListener("pointerout", out, opts);
    window.addEventListener("focusin", focusIn, opts);
    window.addEventListener("focusout", hide, opts);
    for (const type of ["pointerdown", "contextmenu", "keydown", "wheel", "scroll", "blur", "hashchange"] as const) window.addEventListener(type, hide, opts);
    return () => {
      hide();
      watch.disconnect();
      window.removeEventListener("pointerover", over, opts);
      window.removeEventListener("pointerout", out, opts);
      window.removeEventListener("focusin", focusIn, opts);
      window.removeEventListener("focusout", hide, opts);
      for (const type of ["pointerdown", "contextmenu", "keydown", "wheel", "scroll", "blur", "hashchange"] as const) window.removeEventListener(type, hide, opts);
    };
  }, []);

  // Placed once its own size is known (it is drawn hidden first).
  useEffect(() => {
    if (!shown || !tipRef.current) return;
    const a = shown.el.getBoundingClientRect();
    const t = tipRef.current.getBoundingClientRect();
    setPos(placeTip(a, t, { width: window.innerWidth, height: window.innerHeight }));
  }, [shown]);

  if (!shown) return null;
  return (
    <div
      ref={tipRef}
      id={TIP_ID}
      role="tooltip"
      className="tooltip"
      data-testid="tooltip"
      // Inside a menu or a dialog (a form's icon button), drawn above it; anywhere else, under them.
      style={{ ...(pos ? { left: pos.left, top: pos.top } : { left: 0, top: 0, visibility: "hidden" }), ...(shown.el.closest(COVERS) ? { zIndex: 90 } : {}) }}
    >
      {shown.text}
    </div>
  );
}
