/** Messages actions/runner prints for workflow commands, word for word, so logs read the same. */

export const unsupportedCommandDisabled = (command: string): string =>
  `The \`${command}\` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the \`ACTIONS_ALLOW_UNSECURE_COMMANDS\` environment variable to \`true\`. For more information see: https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/`;

export const deprecatedOutputCommand = (command: string): string =>
  `The \`${command}\` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/`;

export const UNSUPPORTED_STOP_TOKEN =
  "You cannot use a endToken that is an empty string, the string 'pause-logging', or another workflow command. For more information see: https://docs.github.com/actions/learn-github-actions/workflow-commands-for-github-actions#example-stopping-and-starting-workflow-commands or opt into insecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS` environment variable to `true`.";

export const unableToProcess = (what: string): string => `Unable to process command '${what}' successfully.`;

export const missingName = (command: string): string => `Required field 'name' is missing in ##[${command}] command.`;

/** What .NET's ArgumentNullException says; the runner surfaces it for empty add-path/echo data. */
export const valueCannotBeNull = (param: string): string => `Value cannot be null. (Parameter '${param}')`;

export const invalidEcho = (data: string): string =>
  `Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: '${data}'.`;

export const blockedSetEnv = (name: string): string => `Can't update ${name} environment variable using ::set-env:: command.`;

export const EMPTY_MASK = "Can't add secret mask for empty string in ##[add-mask] command.";
export const MATCHER_FILE_REQUIRED = "File path must be specified.";
export const REMOVE_MATCHER_BOTH =
  "Either specify an owner name or a file path in ##[remove-matcher] command. Both values cannot be set.";
export const REMOVE_MATCHER_NEITHER = "Either an owner name or a file path must be specified in ##[remove-matcher] command.";

/** First of the two errors the runner logs when a GITHUB_ENV/OUTPUT/STATE/PATH file is bad. */
export const unableToProcessFileCommand = (contextName: "env" | "output" | "state" | "path"): string =>
  `Unable to process file command '${contextName}' successfully.`;

export const blockedEnvFile = (name: string): string => `Can't store ${name} output parameter using '$GITHUB_ENV' command.`;
