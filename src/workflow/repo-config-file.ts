/** The repository's own Slipway settings file; apart from its parser so naming it loads no YAML library. */
export const REPO_CONFIG_FILE = ".slipway.yml";
