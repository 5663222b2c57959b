// Generated from crates/weft-render by `weft gen-ts` (ts-rs). Do not edit: change the Rust types.
/* eslint-disable */
import type { WorkflowFile } from "./index";

export type Theme = "light" | "dark";

export type Format = "png" | "svg";

export type PictureRequest = { 
/**
 * The workflow as the editor shows it (saved or not); read as a workflow file is, so that
 * a bad one is refused with the path of the bad field.
 */
body: WorkflowFile, 
/**
 * The activities to draw; empty draws them all.
 */
selection: Array<string>, 
/**
 * Light or dark.
 */
theme: Theme, 
/**
 * A run to show on it.
 */
runId: number | null, 
/**
 * PNG or SVG (Copy as bitmap is always PNG).
 */
format: Format, };

export type PictureData = { 
/**
 * `image/png` or `image/svg+xml`.
 */
mime: string, 
/**
 * The file's bytes, base64.
 */
base64: string, 
/**
 * Width in pixels (PNG) or canvas units (SVG).
 */
width: number, 
/**
 * Height in pixels (PNG) or canvas units (SVG).
 */
height: number, };

