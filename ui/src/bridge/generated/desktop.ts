// Generated from src-tauri by `WEFT_GEN=1 cargo test -p weft-desktop` (ts-rs). Do not edit: change the Rust types.
/* eslint-disable */
import type { WorkflowFile, WorkflowSummary } from './index';

export type BridgeError = { 
/**
 * Stable code (`WEFT-X001`).
 */
code: string, 
/**
 * Human explanation, without the code.
 */
message: string, 
/**
 * Structured data about the failure; `null` when there is none.
 */
details: unknown, };

export type StoreStatus = { 
/**
 * True when this process executes runs; false when it only reads and queues commands.
 */
owner: boolean, 
/**
 * Name of the process that executes the store (`desktop`, `weft`), if any.
 */
ownerName: string | null, 
/**
 * Its process id.
 */
ownerPid: number | null, 
/**
 * The SQLite file.
 */
dbPath: string, };

export type TemplateInfo = { 
/**
 * `shipped:<path>` or `user:<path>`.
 */
id: string, 
/**
 * The workflow's name.
 */
name: string, 
/**
 * Folder it is listed under.
 */
folder: string, 
/**
 * The workflow's description.
 */
description: string, 
/**
 * Whether it ships with Weft (read-only) rather than saved by the user.
 */
shipped: boolean, 
/**
 * The workflow itself.
 */
body: WorkflowFile, };

export type WorkflowDetail = { 
/**
 * The card.
 */
summary: WorkflowSummary, 
/**
 * The latest revision.
 */
body: WorkflowFile, };

