/** @actions/artifact's character rules for artifact names and the paths inside an artifact (NTFS-safe). */

const PATH_CHARS: Array<[string, string]> = [
  ['"', ' Double quote "'],
  [":", " Colon :"],
  ["<", " Less than <"],
  [">", " Greater than >"],
  ["|", " Vertical bar |"],
  ["*", " Asterisk *"],
  ["?", " Question mark ?"],
  ["\r", " Carriage return \\r"],
  ["\n", " Line feed \\n"],
];
const NAME_CHARS: Array<[string, string]> = [...PATH_CHARS, ["\\", " Backslash \\"], ["/", " Forward slash /"]];

/** The error message for a bad name, or null. */
export function artifactNameError(name: string): string | null {
  if (!name) return "Provided artifact name input during validation is empty";
  const bad = NAME_CHARS.find(([c]) => name.includes(c));
  if (!bad) return null;
  return `The artifact name is not valid: ${name}. Contains the following character: ${bad[1]}\n\nInvalid characters include: ${NAME_CHARS.map((c) => c[1]).join(",")}\n\nThese characters are not allowed in the artifact name due to limitations with certain file systems such as NTFS. To maintain file system agnostic behavior, these characters are intentionally not allowed to prevent potential problems with downloads on different file systems.`;
}

export function artifactPathError(rel: string): string | null {
  const bad = PATH_CHARS.find(([c]) => rel.includes(c));
  if (!bad) return null;
  return `The path for one of the files in artifact is not valid: ${rel}. Contains the following character: ${bad[1]}\n\nInvalid characters include: ${PATH_CHARS.map((c) => c[1]).join(",")}`;
}
