/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig, loadEnv } from "vite";

// The UI reads the engine's catalog (docs/schema) from the repository root, so the dev server may
// serve files from one level up. In a browser the UI talks to `weft serve --http`: the dev server
// passes /api to it ($WEFT_API, default http://127.0.0.1:8080), so `npm run dev` beside
// `weft serve --http 127.0.0.1:8080` gives hot reload on a real store.
// WEFT_* variables from the environment (or .env files): $WEFT_API.
const env = loadEnv("development", ".", "WEFT_");

export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: {
    host: "127.0.0.1",
    port: 5173,
    strictPort: true,
    fs: { allow: [".."] },
    proxy: { "/api": env.WEFT_API ?? "http://127.0.0.1:8080" },
  },
  build: { target: "es2022", chunkSizeWarningLimit: 2000 },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test-setup.ts"],
  },
});
