import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The Tauri window loads ui/dist; the dev server is only for hot-reload work on the UI.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: "es2021", outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test-setup.ts"],
    globals: true,
    // Whole-app tests render every screen; on a busy 2-core machine 5 s is too tight.
    testTimeout: 20_000,
  },
});
