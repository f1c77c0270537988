// Lint enforces the layering in ARCHITECTURE.md: each folder may import only the layers listed there,
// and the pure core (common, expr, workflow, plan) imports no file system, process or database driver.
import tseslint from "typescript-eslint";

const EFFECTS = ["node:fs", "node:fs/promises", "fs", "fs/promises", "node:child_process", "child_process", "better-sqlite3", "pg"];

/** Forbid importing these layer folders (matched anywhere in a relative path) plus extra modules. */
function layer(files, forbiddenLayers, extraModules = []) {
  return {
    files,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: extraModules.map((name) => ({ name, message: "the pure core performs no I/O (ARCHITECTURE.md)" })),
          patterns: forbiddenLayers.map((l) => ({ group: [`**/${l}/*`, `**/${l}/**`], message: `this layer may not import ${l}/ (ARCHITECTURE.md)` })),
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ["dist/**", "web/**", "node_modules/**", "test/fixtures/**", "examples/**", "bench/**"] },
  {
    files: ["src/**/*.ts", "test/**/*.ts"],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true } },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
    },
  },
  layer(["src/common/**"], ["expr", "workflow", "plan", "run", "store", "git", "service", "server", "cli"], EFFECTS),
  layer(["src/expr/**"], ["workflow", "plan", "run", "store", "git", "service", "server", "cli"], EFFECTS),
  layer(["src/workflow/**"], ["plan", "run", "store", "git", "service", "server", "cli"], EFFECTS),
  layer(["src/plan/**"], ["run", "store", "git", "service", "server", "cli"], EFFECTS),
  layer(["src/git/**"], ["expr", "workflow", "plan", "run", "store", "service", "server", "cli"]),
  layer(["src/run/**"], ["store", "git", "service", "server", "cli"]),
  layer(["src/store/**"], ["expr", "workflow", "plan", "run", "git", "service", "server", "cli"]),
  layer(["src/service/**"], ["server", "cli"]),
  layer(["src/server/**"], ["cli"]),
  layer(["src/server/webhooks/**", "src/server/schedule/**"], ["run", "store", "git", "cli"], ["node:child_process", "child_process", "better-sqlite3", "pg"]),
);
