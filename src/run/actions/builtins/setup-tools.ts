/**
 * Slipway's own actions/setup-node, setup-python and setup-go. The published ones download
 * toolchains; these choose among the installs the machine already has (tool cache and PATH).
 */
export type { BuiltinContext, BuiltinResult } from "./setup-context.ts";
export { setupNode } from "./setup-node.ts";
export { setupPython } from "./setup-python.ts";
export { setupGo } from "./setup-go.ts";
