/** Branch protection rules (required status checks) and the merge gate's facts. */

export interface ProtectionStore {
  /** Whether some protection rule covers this branch (GitHub's "protected branches only" policy asks this). */
  isProtected(repo: string, branch: string): Promise<boolean>;
}
