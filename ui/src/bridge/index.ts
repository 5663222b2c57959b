//! Picks the backend once, at start: Tauri inside the desktop app, HTTP (`weft serve --http`)
//! in a browser.
import type { Backend } from "./backend";
import { httpBackend } from "./http";
import { tauriBackend } from "./tauri";

export type { Backend } from "./backend";

/** True inside the Tauri webview. */
export const inTauri = typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;

export const backend: Backend = inTauri ? tauriBackend : httpBackend;
