// ESLint (flat config): the recommended JavaScript and type-aware TypeScript rules for the
// page's source and its tests; the end-to-end script and the config files without types
// (they are not in tsconfig.json's program). Formatting is prettier's (npm run lint runs both).

import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["dist/", "node_modules/"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["src/**/*.ts", "vite.config.ts"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    rules: {
      // `const { omitted: _omitted, ...rest } = object` drops a property.
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
    },
  },
  {
    // The tests' stubs of fetch are async functions (fetch returns a promise) with no await.
    files: ["src/**/*.test.ts"],
    rules: { "@typescript-eslint/require-await": "off" },
  },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
);
