//! Promise-based confirmation and text prompts, rendered by `components/Dialogs.tsx`.
import { create } from "zustand";

export type Ask = {
  title: string;
  message?: string;
  confirm: string;
  cancel?: string;
  /** A third choice (e.g. "Discard" beside "Save" and "Keep editing"). */
  extra?: string;
  /** A fourth choice, beside the third (e.g. "Save as a copy" beside "Reload"). */
  extra2?: string;
  danger?: boolean;
  /** Present for a text prompt: the initial value. */
  input?: string;
};
export type Answer = { choice: "confirm" | "cancel" | "extra" | "extra2"; value: string };

type DialogState = {
  current: (Ask & { resolve: (a: Answer) => void }) | null;
  ask: (a: Ask) => Promise<Answer>;
  answer: (a: Answer) => void;
};

export const useDialog = create<DialogState>((set, get) => ({
  current: null,
  ask: (a) =>
    new Promise<Answer>((resolve) => {
      get().current?.resolve({ choice: "cancel", value: "" });
      set({ current: { ...a, resolve } });
    }),
  answer: (a) => {
    const c = get().current;
    set({ current: null });
    c?.resolve(a);
  },
}));

export const ask = (a: Ask) => useDialog.getState().ask(a);
