/** What a docker action's `image:` (or a `uses: docker://` step) names, following GitHub's runner. */

export type ImageRef = { kind: "registry"; name: string } | { kind: "dockerfile"; path: string };

/**
 * `docker://x` is an image; otherwise a last path segment that is `Dockerfile`, ends with
 * `Dockerfile` or starts with `Dockerfile.` (any case) names a Dockerfile relative to the action's
 * folder; anything else is taken as an image name as it stands.
 */
export function parseImageRef(image: string): ImageRef {
  if (/^docker:\/\//i.test(image)) return { kind: "registry", name: image.slice("docker://".length) };
  const last = (image.split("/").pop() ?? image).toLowerCase();
  if (last.endsWith("dockerfile") || last.startsWith("dockerfile.")) return { kind: "dockerfile", path: image };
  return { kind: "registry", name: image };
}
