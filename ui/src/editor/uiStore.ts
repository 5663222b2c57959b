//! Transient editor UI: the open section menu, section modal, context menu and panels.
import { create } from "zustand";
import type { Transition } from "../bridge/types";

/** Where a section-menu choice goes: after an output, or into a transition. */
export type InsertAt =
  | { type: "after"; from: string; port: string }
  | { type: "transition"; transition: Transition };

type UiState = {
  sectionMenu: { at: InsertAt; x: number; y: number } | null;
  modal: { activityId: string } | null;
  contextMenu: { x: number; y: number; targets: string[] } | null;
  problemsOpen: boolean;
  /** Transition highlighted while a palette item is dragged over it. */
  dropEdge: string | null;
  /** Canvas point of the last right-click on the empty canvas (where Paste puts things). */
  pastePoint: { x: number; y: number } | null;
  openSectionMenu: (at: InsertAt, x: number, y: number) => void;
  openModal: (activityId: string) => void;
  openContextMenu: (x: number, y: number, targets: string[]) => void;
  closeAll: () => void;
  set: (patch: Partial<Omit<UiState, "set">>) => void;
};

export const useEditorUi = create<UiState>((set) => ({
  sectionMenu: null,
  modal: null,
  contextMenu: null,
  problemsOpen: false,
  dropEdge: null,
  pastePoint: null,
  openSectionMenu: (at, x, y) => set({ sectionMenu: { at, x, y }, contextMenu: null }),
  openModal: (activityId) => set({ modal: { activityId }, sectionMenu: null, contextMenu: null }),
  openContextMenu: (x, y, targets) => set({ contextMenu: { x, y, targets }, sectionMenu: null }),
  closeAll: () => set({ sectionMenu: null, contextMenu: null, modal: null }),
  set: (patch) => set(patch),
}));
