//! Short notices at the bottom of the window (saved, copied, errors).
import { create } from "zustand";

export type Toast = { id: number; text: string; tone: "info" | "error" };
type ToastState = { toasts: Toast[]; show: (text: string, tone?: Toast["tone"]) => void };
let next = 1;

export const useToasts = create<ToastState>((set) => ({
  toasts: [],
  show: (text, tone = "info") => {
    const id = next++;
    set((s) => ({ toasts: [...s.toasts, { id, text, tone }] }));
    setTimeout(() => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })), tone === "error" ? 6000 : 2600);
  },
}));

export const toast = (text: string, tone?: Toast["tone"]) => useToasts.getState().show(text, tone);
