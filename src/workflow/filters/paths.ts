/** Path filters: `paths` and `paths-ignore` over the changed files of a push or pull request. */
import { matchPatternList } from "../glob.ts";
import { block, checkListValid, pass, show, stringList } from "./verdict.ts";
import type { Mapping, Verdict } from "./verdict.ts";

/** GitHub only looks at the first 300 files of the diff; matches past them do not count. */
export const DIFF_FILE_LIMIT = 300;

function checkInclude(list: string[], files: readonly string[]): Verdict {
  const hit = files.find((f) => matchPatternList(list, f));
  return hit === undefined
    ? block(`no changed file matches paths ${show(list)}`)
    : pass(`changed file '${hit}' matches paths ${show(list)}`);
}

/** Runs unless every changed file is ignored. */
function checkIgnore(list: string[], files: readonly string[]): Verdict {
  const kept = files.find((f) => !matchPatternList(list, f));
  return kept === undefined
    ? block(`all changed files match paths-ignore ${show(list)}`)
    : pass(`changed file '${kept}' is not in paths-ignore ${show(list)}`);
}

/**
 * `changedFiles` undefined means the diff is unknown (GitHub: too many commits or a diff timeout),
 * and then the workflow runs. An empty diff with a path filter does not run.
 */
export function checkPaths(cfg: Mapping, changedFiles: readonly string[] | undefined): Verdict {
  const include = stringList(cfg, "paths");
  const ignore = stringList(cfg, "paths-ignore");
  if (!include && !ignore) return pass("");
  const invalid = (include && checkListValid("paths", include)) || (ignore && checkListValid("paths-ignore", ignore));
  if (invalid) return invalid;
  if (changedFiles === undefined) return pass("changed files unknown, path filters pass");
  const files = changedFiles.slice(0, DIFF_FILE_LIMIT);
  if (files.length === 0) return block("no files changed, but path filters are set");
  const verdicts = [include && checkInclude(include, files), ignore && checkIgnore(ignore, files)];
  const failed = verdicts.find((v) => v && !v.ok);
  if (failed) return failed;
  return pass(verdicts.flatMap((v) => (v ? [v.reason] : [])).join("; "));
}
