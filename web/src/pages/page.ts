import type { Route } from "../routes.ts";

/** What a page gets: where to draw and a signal that fires when the user navigates away. */
export interface PageContext {
  root: HTMLElement;
  signal: AbortSignal;
}

export interface PageHandle {
  /** Called instead of a remount when only the hash query changed. */
  update?(route: Route): void;
}
