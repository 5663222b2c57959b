//! Theme preference: follows the system unless the user picks light or dark.
import { create } from "zustand";

export type ThemePref = "system" | "light" | "dark";
const KEY = "weft.theme";

const media = () => (typeof window !== "undefined" && window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null);

export function resolveTheme(pref: ThemePref): "light" | "dark" {
  if (pref !== "system") return pref;
  return media()?.matches ? "dark" : "light";
}

function apply(pref: ThemePref) {
  if (typeof document !== "undefined") document.documentElement.dataset.theme = resolveTheme(pref);
}

type ThemeState = { pref: ThemePref; resolved: "light" | "dark"; setPref: (p: ThemePref) => void; cycle: () => void };

const initial = ((typeof localStorage !== "undefined" && localStorage.getItem(KEY)) || "system") as ThemePref;
apply(initial);

export const useTheme = create<ThemeState>((set, get) => ({
  pref: initial,
  resolved: resolveTheme(initial),
  setPref: (pref) => {
    localStorage.setItem(KEY, pref);
    apply(pref);
    set({ pref, resolved: resolveTheme(pref) });
  },
  cycle: () => {
    const order: ThemePref[] = ["system", "light", "dark"];
    get().setPref(order[(order.indexOf(get().pref) + 1) % order.length]);
  },
}));

media()?.addEventListener?.("change", () => {
  const { pref } = useTheme.getState();
  apply(pref);
  useTheme.setState({ resolved: resolveTheme(pref) });
});
