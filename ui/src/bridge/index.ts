//! Picks the backend once, at start: Tauri inside the desktop app, HTTP (`weft serve --http`)
//! in a browser.
import type { Backend } from "./backend";
import { httpBackend } from "./http";
import { tauriBackend } from "./tauri";

export type { Backend } from "./backend";

/**
 * True for the app's own pages in the Tauri webview. Tauri puts its internals into every
 * window, also one showing a team server's page (served by `weft serve --http`, of another
 * origin): that page must talk HTTP to its server, so the app's origin decides, not the
 * internals alone (`tauri://localhost`, `http://tauri.localhost`, or Vite's dev server).
 */
export const inTauri =
  typeof window !== "undefined" &&
  "__TAURI_INTERNALS__" in window &&
  (location.protocol === "tauri:" || location.hostname === "tauri.localhost" || (import.meta.env.DEV && location.port === "5173"));

export const backend: Backend = inTauri ? tauriBackend : httpBackend;
