//! Whether the canvas is zoomed far out: below that zoom, cards and transitions render as plain
//! shapes without text, icons, buttons or labels (unreadable at that size, and most of the cost
//! of a frame with a thousand activities on screen).
import { createContext } from "react";

export const FarContext = createContext(false);
