// The bridge's types: all generated from Rust (ts-rs) into `./generated` (do not edit there).
export type * from "./generated";
export type * from "./generated/picture";

/** Turns anything thrown by a backend call (a `BridgeError` on Tauri) into a readable sentence. */
export function errorMessage(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) {
    const err = e as { code?: string; message: string };
    return err.code ? `${err.message} (${err.code})` : err.message;
  }
  return String(e);
}
