import { defineConfig } from "vitest/config";

// One script and one stylesheet with fixed names, written into the Python package's static
// files (committed, so `pip install` users need no Node).
export default defineConfig({
  build: {
    outDir: "../src/drf_mcp_bridge/static/drf_mcp_bridge/explorer",
    emptyOutDir: true,
    target: "es2020",
    cssCodeSplit: false,
    sourcemap: false,
    rollupOptions: {
      input: "src/main.ts",
      output: {
        entryFileNames: "explorer.js",
        assetFileNames: "explorer[extname]",
        format: "es",
      },
    },
  },
  test: { environment: "jsdom", include: ["src/**/*.test.ts"] },
});
