// Why: picks the version a deploy registers: the workload's own when it is new, else the next patch/minor/major above every deployed one — never an existing one.

import * as semver from "semver";
import { answered, type PromptUi } from "../wizard/wizard";
import { compareVersions } from "./applicationPackages";
import { suggestBump, type ReleaseType } from "./conventionalCommits";

export type BumpOption = ReleaseType | "auto";

export interface VersionChoice {
  readonly version: string;
  /** why: "package.json", "next minor (--bump minor)", "next minor: feat: … (since tag v1.0.0)" */
  readonly reason: string;
}

export class VersionConflictError extends Error {
  constructor(applicationId: string, version: string, suggestions: Record<ReleaseType, string>) {
    super(
      `version ${version} of '${applicationId}' is already deployed and is never overwritten: pass --bump patch (${suggestions.patch}), --bump minor (${suggestions.minor}), --bump major (${suggestions.major}) or --bump auto, or change 'version' in package.json`,
    );
    this.name = "VersionConflictError";
  }
}

/** The next `bump` above both the workload's version and the highest deployed SemVer version. */
export function nextVersion(current: string, deployed: readonly string[], bump: ReleaseType): string {
  const highest = [current, ...deployed.filter((v) => semver.valid(v))].sort(compareVersions).pop()!;
  return semver.inc(highest, bump)!;
}

export interface ChooseVersionOptions {
  readonly applicationId: string;
  readonly current: string;
  readonly deployed: readonly string[];
  readonly bump?: BumpOption;
  readonly yes: boolean;
  readonly ui: PromptUi;
  readonly workloadDir: string;
  readonly signal?: AbortSignal;
}

/** The version `DeployOptions.version` names: valid SemVer, and not deployed yet. */
export function explicitVersion(applicationId: string, version: string, deployed: readonly string[]): VersionChoice {
  if (!semver.valid(version)) throw new Error(`version: '${version}' is not a SemVer version (e.g. 1.2.0 or 1.2.0-test.1)`);
  if (deployed.some((v) => v.toLowerCase() === version.toLowerCase())) {
    throw new Error(`version ${version} of '${applicationId}' is already deployed and is never overwritten: choose another version`);
  }
  return { version, reason: "given explicitly; package.json unchanged" };
}

export async function chooseVersion(options: ChooseVersionOptions): Promise<VersionChoice> {
  const { current, deployed, bump } = options;
  const exists = deployed.some((v) => v.toLowerCase() === current.toLowerCase());
  if (!exists) return { version: current, reason: "package.json" };
  const suggestions = {
    patch: nextVersion(current, deployed, "patch"),
    minor: nextVersion(current, deployed, "minor"),
    major: nextVersion(current, deployed, "major"),
  };
  if (bump === "auto") {
    const highest = [...deployed]
      .filter((v) => semver.valid(v))
      .sort(compareVersions)
      .pop();
    const suggestion = await suggestBump(options.workloadDir, highest, options.signal);
    if (!suggestion)
      throw new Error(`--bump auto reads Conventional Commits from git, but ${options.workloadDir} is not in a git work tree: pass --bump patch|minor|major`);
    const why = suggestion.reason
      ? `${suggestion.reason} (${suggestion.range}, ${suggestion.commits} commits)`
      : `${suggestion.commits} commits ${suggestion.range}`;
    return { version: suggestions[suggestion.bump], reason: `next ${suggestion.bump} from Conventional Commits: ${why}` };
  }
  if (bump) return { version: suggestions[bump], reason: `next ${bump} (--bump ${bump})` };
  if (options.yes) throw new VersionConflictError(options.applicationId, current, suggestions);
  const picked = await options.ui.pick(
    (["patch", "minor", "major"] as const).map((kind) => ({ label: suggestions[kind], description: `next ${kind}`, value: kind })),
    { title: `Version ${current} of ${options.applicationId} is already deployed: deploy as`, placeholder: "existing versions are never overwritten" },
  );
  const kind = answered(picked, "version");
  return { version: suggestions[kind], reason: `next ${kind} (chosen)` };
}
