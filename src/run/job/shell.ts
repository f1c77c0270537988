/** GitHub's `shell:` keywords and custom `{0}` templates, resolved to an argv and a script extension. */
export interface ShellCommand {
  argv: string[];
  extension: string;
}

const TEMPLATES: Record<string, { template: string; extension: string }> = {
  bash: { template: "bash --noprofile --norc -eo pipefail {0}", extension: ".sh" },
  sh: { template: "sh -e {0}", extension: ".sh" },
  python: { template: "python {0}", extension: ".py" },
  node: { template: "node {0}", extension: ".js" },
  pwsh: { template: "pwsh -command \". '{0}'\"", extension: ".ps1" },
  powershell: { template: "pwsh -command \". '{0}'\"", extension: ".ps1" },
};

/**
 * `hasBash` decides the default: with no `shell`, GitHub uses `bash -e {0}` on Linux and falls
 * back to `sh -e {0}` where bash is missing.
 */
export function resolveShell(shell: string | null, scriptPath: (ext: string) => string, hasBash: boolean): ShellCommand {
  let template: string;
  let extension = ".sh";
  if (!shell) template = hasBash ? "bash -e {0}" : "sh -e {0}";
  else if (TEMPLATES[shell]) ({ template, extension } = TEMPLATES[shell]);
  else if (shell.includes("{0}")) template = shell;
  else throw new Error(`Invalid shell option '${shell}'. The shell must be one of bash, sh, python, node, pwsh, or a command containing {0}.`);
  const file = scriptPath(extension);
  const [program, ...rest] = template.trim().split(/\s+/);
  return { argv: [program as string, ...rest.map((a) => a.replaceAll("{0}", file))], extension };
}

export function scriptFor(extension: string, body: string): string {
  // Python and Node need nothing added; shell scripts are run as written, like GitHub's runner.
  return extension === ".ps1" ? `$ErrorActionPreference = 'stop'\n${body}\nif ((Test-Path -LiteralPath variable:\\LASTEXITCODE)) { exit $LASTEXITCODE }` : body;
}
