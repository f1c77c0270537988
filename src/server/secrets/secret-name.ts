/**
 * GitHub's rules for secret names ("Naming your secrets"): only [A-Za-z0-9_], no leading digit, no
 * GITHUB_ prefix. Names are case-insensitive, so the prefix is refused in any case.
 */

/** Returns why `name` is not a valid secret name, or null. */
export function validSecretName(name: string): string | null {
  if (name === "") return "secret name is empty";
  if (!/^[A-Za-z0-9_]+$/.test(name)) return `secret name '${name}' may only contain letters, digits and underscores (no spaces)`;
  if (/^[0-9]/.test(name)) return `secret name '${name}' must not start with a digit`;
  if (name.toUpperCase().startsWith("GITHUB_")) return `secret name '${name}' must not start with the GITHUB_ prefix`;
  return null;
}

/** The form names are stored and compared in, since GitHub treats them case-insensitively. */
export function canonicalSecretName(name: string): string {
  return name.toUpperCase();
}
