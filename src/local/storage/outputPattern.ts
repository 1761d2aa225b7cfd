// Why: the Batch output-file pattern language ($VAR expansion, *, **, ?, [abc], [!abc], dot-file rule) on top of picomatch.
import picomatch from "picomatch";

const WILDCARD = /[*?[]/;
/** Characters picomatch would read as syntax (extglob, braces, regex groups, negation, escapes) but Batch treats literally. */
const LITERAL_SPECIALS = new Set(["\\", "(", ")", "|", "+", "@", "!", "{", "}", "^", "$"]);

export function hasWildcard(pattern: string): boolean {
  return WILDCARD.test(pattern);
}

/** Expands `$VAR` / `${VAR}` (Linux) or `%VAR%` (Windows, case-insensitive) from `env`; unknown variables stay as written. */
export function expandVariables(pattern: string, env: Readonly<Record<string, string>>, windows = process.platform === "win32"): string {
  if (windows) {
    const lower = new Map(Object.entries(env).map(([key, value]) => [key.toLowerCase(), value]));
    return pattern.replace(/%([^%\s]+)%/g, (whole, name: string) => lower.get(name.toLowerCase()) ?? whole);
  }
  return pattern.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced?: string, bare?: string) => env[braced ?? bare ?? ""] ?? whole,
  );
}

/** Index of the `]` closing the bracket expression opened at `open`, or -1 (then `[` is literal). */
function closingBracket(glob: string, open: number): number {
  let index = open + 1;
  if (glob[index] === "!" || glob[index] === "^") index++;
  if (glob[index] === "]") index++;
  for (; index < glob.length; index++) {
    if (glob[index] === "/") return -1;
    if (glob[index] === "]") return index;
  }
  return -1;
}

function bracketExpression(body: string, startsSegment: boolean): string {
  const negated = body.startsWith("!") || body.startsWith("^");
  const members = (negated ? body.slice(1) : body).replace(/[\\\][^]/g, (ch) => `\\${ch}`);
  // A negated class at the start of a name must not match the leading "." (dot files need an explicit ".").
  return `[${negated ? "^" : ""}${negated && startsSegment ? "." : ""}${members}]`;
}

/** Rewrites a Batch glob (`/`-separated) into an equivalent picomatch pattern. */
export function toPicomatchGlob(glob: string): string {
  let out = "";
  for (let index = 0; index < glob.length; index++) {
    const ch = glob[index] ?? "";
    if (ch === "[") {
      const close = closingBracket(glob, index);
      if (close > 0) {
        out += bracketExpression(glob.slice(index + 1, close), out === "" || out.endsWith("/"));
        index = close;
        continue;
      }
      out += "\\[";
      continue;
    }
    out += LITERAL_SPECIALS.has(ch) ? `\\${ch}` : ch;
  }
  return out;
}

/** A matcher for `/`-separated paths relative to the pattern's base directory. */
export function globMatcher(glob: string): (relativePath: string) => boolean {
  return picomatch(toPicomatchGlob(glob), { dot: false, nobrace: true, noextglob: true });
}

/** Splits `/`-separated segments into the literal leading part and the rest, which starts at the first wildcard segment. */
export function splitAtFirstWildcard(segments: readonly string[]): { literal: string[]; glob: string[] } {
  const first = segments.findIndex((segment) => hasWildcard(segment));
  return first < 0 ? { literal: [...segments], glob: [] } : { literal: segments.slice(0, first), glob: segments.slice(first) };
}
