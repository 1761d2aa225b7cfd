// Why: a Batch command line is not run by a shell: it is split into argv (quotes group, nothing is expanded) and exec'd.

type Parse = (value: string) => string[];
let parser: Promise<Parse> | undefined;

/** string-argv is an ES module; this CommonJS build loads it once with a native dynamic import. */
function loadParser(): Promise<Parse> {
  parser ??= import("string-argv").then((module) => module.parseArgsStringToArgv);
  return parser;
}

/**
 * Splits like the Linux node agent: whitespace separates arguments, single or double quotes group (and are removed),
 * `$VAR`, globs, pipes and redirections stay literal text. Returns [] for a blank command line.
 */
export async function splitCommandLine(commandLine: string): Promise<string[]> {
  const parse = await loadParser();
  return parse(commandLine);
}
