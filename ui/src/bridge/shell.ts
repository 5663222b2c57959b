//! What only the desktop app has: links handed over by the system (`weft://…`), crash reports of
//! earlier runs, and the main window's screen kept between runs. Outside the app (a browser on
//! the HTTP bridge, the browser tests) there are none of these, and the calls answer so.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { inTauri } from "./index";
import type { CrashReport, Link } from "./types";

/** Name of the shell's event: a link waits to be taken. */
const LINK = "weft://link";

export const shell = {
  /** The link waiting to be shown, once (throws the link's error when it did not read). */
  takeLink: (): Promise<Link | null> => (inTauri ? invoke<Link | null>("take_link") : Promise.resolve(null)),
  /** Calls `f` whenever a link arrives; resolves to the unsubscribe function. */
  onLink: (f: () => void): Promise<() => void> => (inTauri ? listen(LINK, () => f()) : Promise.resolve(() => {})),
  crashReports: (): Promise<CrashReport[]> => (inTauri ? invoke<CrashReport[]>("crash_reports") : Promise.resolve([])),
  dismissCrashReport: (name: string): Promise<void> => (inTauri ? invoke<void>("dismiss_crash_report", { name }) : Promise.resolve()),
  rememberScreen: (screen: string): Promise<void> => (inTauri ? invoke<void>("remember_screen", { screen }) : Promise.resolve()),
  lastScreen: (): Promise<string | null> => (inTauri ? invoke<string | null>("last_screen") : Promise.resolve(null)),
};
