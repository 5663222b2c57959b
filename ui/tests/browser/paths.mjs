// Where the repository, the UI and the `weft` binary are.
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const here = dirname(fileURLToPath(import.meta.url));
export const ui = resolve(here, "../..");
export const repo = resolve(ui, "..");
/** The cargo target directory: the Makefile's default unless CARGO_TARGET_DIR says otherwise. */
export const target = process.env.CARGO_TARGET_DIR ?? join(homedir(), ".cache/weft/target");
export const weftBinary = process.env.WEFT_BIN ?? join(target, "debug/weft");
