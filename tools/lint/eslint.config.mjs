// ESLint for the site's own browser scripts (psp_static/static/js; vendored files are not ours):
// the recommended rules, for plain scripts that share what they offer through `window`.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: { ...globals.browser, L: "readonly" },
    },
  },
];
