//! Picks the backend: Tauri inside the desktop app, the in-memory mock in a plain browser.
import type { Backend } from "./backend";
import { createMockBackend } from "./mock";
import { tauriBackend } from "./tauri";

export type { Backend } from "./backend";

/** True inside the Tauri webview. */
export const inTauri = typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;

export const backend: Backend = inTauri ? tauriBackend : createMockBackend();
