//! The UI's fonts — Inter and JetBrains Mono from the top-level assets/fonts — the same ones
//! pictures of workflows are drawn with (crates/weft-render), so that the canvas and a copied
//! picture look alike on a machine that has neither installed. The engine's side holds them
//! (built into the binary once) and the backend says where: `weftfont://` in the app, `/fonts/`
//! from a server.
import { backend } from "../bridge";

const FACES = [
  { family: "Inter", file: "Inter-Regular.otf", weight: "400" },
  // Bolder text (650, 700) takes 600: each face costs its size in a package under 10 MB.
  { family: "Inter", file: "Inter-SemiBold.otf", weight: "600" },
  { family: "JetBrains Mono", file: "JetBrainsMono-Regular.ttf", weight: "400" },
];

/** Registers the faces; a face that cannot load leaves the system's fallback in place. */
export function loadFonts() {
  const base = backend.fontBase;
  if (!base || typeof FontFace === "undefined") return;
  for (const f of FACES) {
    const face = new FontFace(f.family, `url("${base}${f.file}")`, { weight: f.weight, style: "normal", display: "block" });
    document.fonts.add(face);
    face.load().catch(() => {
      // Fallback fonts stay: a missing font is not worth an error in the UI.
    });
  }
}
