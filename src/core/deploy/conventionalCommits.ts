// Why: `--bump auto`: the SemVer bump Conventional Commit messages ask for since the last deployed version, from the workload's git history.

import { execFile } from "node:child_process";

export type ReleaseType = "patch" | "minor" | "major";

export interface BumpSuggestion {
  readonly bump: ReleaseType;
  /** what the history was read from: "since tag v1.2.0", "the whole history" */
  readonly range: string;
  readonly commits: number;
  /** the subject that decided it, e.g. "feat(api)!: drop v1" */
  readonly reason?: string;
}

function git(cwd: string, args: string[], signal?: AbortSignal): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, signal, maxBuffer: 32 * 1024 * 1024 }, (error, stdout) => {
      const code = error ? (typeof (error as { code?: unknown }).code === "number" ? (error as { code: number }).code : -1) : 0;
      resolve({ code, stdout: String(stdout) });
    });
  });
}

/** The bump one message asks for: `type!:` or a `BREAKING CHANGE:` footer → major, `feat` → minor, anything else → patch. */
export function bumpOf(subject: string, body: string): ReleaseType {
  if (/^[a-z]+(\([^)]*\))?!:/i.test(subject) || /^BREAKING[ -]CHANGE:/m.test(body)) return "major";
  if (/^feat(\([^)]*\))?:/i.test(subject)) return "minor";
  return "patch";
}

const RANK: Record<ReleaseType, number> = { patch: 0, minor: 1, major: 2 };

/**
 * Reads the commits that touch the workload folder since the last deployed version — the tag `v<version>` or
 * `<version>` when it exists, else the whole history — and returns the largest bump they ask for.
 * Undefined when the folder is not in a git work tree (or git is missing).
 */
export async function suggestBump(workloadDir: string, lastDeployed: string | undefined, signal?: AbortSignal): Promise<BumpSuggestion | undefined> {
  const inside = await git(workloadDir, ["rev-parse", "--is-inside-work-tree"], signal);
  if (inside.code !== 0 || inside.stdout.trim() !== "true") return undefined;
  let since: string | undefined;
  for (const tag of lastDeployed ? [`v${lastDeployed}`, lastDeployed] : []) {
    if ((await git(workloadDir, ["rev-parse", "--verify", "--quiet", `refs/tags/${tag}`], signal)).code === 0) {
      since = tag;
      break;
    }
  }
  const log = await git(workloadDir, ["log", "--format=%s%x1f%b%x1e", ...(since ? [`${since}..HEAD`] : []), "--", "."], signal);
  if (log.code !== 0) return { bump: "patch", range: "no commits yet", commits: 0 };
  const commits = log.stdout
    .split("\x1e")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [subject = "", body = ""] = entry.split("\x1f");
      return { subject: subject.trim(), body };
    });
  let best: BumpSuggestion = { bump: "patch", range: since ? `since tag ${since}` : "the whole history", commits: commits.length };
  for (const commit of commits) {
    const bump = bumpOf(commit.subject, commit.body);
    if (RANK[bump] > RANK[best.bump] || (best.reason === undefined && bump === best.bump)) best = { ...best, bump, reason: commit.subject };
  }
  return best;
}
