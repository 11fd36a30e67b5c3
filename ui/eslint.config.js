import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist", "src/bindings.ts"] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    files: ["**/*.{ts,tsx}"],
    languageOptions: { ecmaVersion: 2021, globals: globals.browser },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // All IPC goes through src/backend: screens never import Tauri directly.
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@tauri-apps/*"], message: "Call the backend through src/backend only." },
            { group: ["**/bindings"], message: "Use src/backend, which wraps the generated bindings." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/backend/**/*.ts"],
    rules: { "no-restricted-imports": "off" },
  },
);
