import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The bare @xyflow/react page of `make bench-canvas` (bench/bare.html), built apart from the app
// into dist-bench/ so that the app's bundle never carries it.
export default defineConfig({
  root: "bench",
  base: "./",
  plugins: [react()],
  build: { target: "es2022", outDir: "../dist-bench", emptyOutDir: true, rollupOptions: { input: fileURLToPath(new URL("bench/bare.html", import.meta.url)) } },
});
