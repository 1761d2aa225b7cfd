// Why: writes a new workload project from a template — all of it into a temporary sibling folder first, then renamed into
// place, so a failure or cancellation leaves nothing half-written and existing files are replaced only with `force`.

import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { UserCancelledError } from "../cancellation";
import { cliTarballFor, type ScaffoldAssets } from "./assets";
import { workloadNames, type WorkloadNames } from "./names";
import { writePythonProject } from "./pythonProject";
import { readTemplateManifest, renderTemplate, templateIdProblem, writeTemplateFiles, type TemplateId, type WorkloadLanguage } from "./templates";

export interface GenerateWorkloadOptions {
  /** the project folder; created if missing */
  readonly targetDir: string;
  readonly template: TemplateId;
  /** default typescript */
  readonly language?: WorkloadLanguage;
  /** the workload name (default: the folder's name) */
  readonly name?: string;
  /** baked into the workload class as its default callback URL (BATCH_CALLBACK_URL and `run --callback-url` still win) */
  readonly callbackUrl?: string;
  /** replace files that already exist in targetDir */
  readonly force: boolean;
  readonly assets: ScaffoldAssets;
  readonly signal?: AbortSignal;
}

export interface GeneratedWorkload {
  readonly dir: string;
  readonly names: WorkloadNames;
  /** every file written, relative to dir, sorted */
  readonly files: readonly string[];
}

/** The files of the project that already exist in targetDir (what `force` would replace). */
export function existingProjectFiles(targetDir: string, files: readonly string[]): string[] {
  return files.filter((file) => fs.existsSync(path.join(targetDir, file)));
}

export async function generateWorkload(options: GenerateWorkloadOptions): Promise<GeneratedWorkload> {
  const templateProblem = templateIdProblem(options.template);
  if (templateProblem) throw new Error(templateProblem);
  const targetDir = path.resolve(options.targetDir);
  const names = workloadNames(options.name ?? path.basename(targetDir));
  if (options.callbackUrl !== undefined) validateCallbackUrl(options.callbackUrl);
  if (fs.existsSync(targetDir) && !fs.statSync(targetDir).isDirectory()) throw new Error(`${targetDir} is a file: give a folder for the new workload`);

  const staging = path.join(path.dirname(targetDir), `.${path.basename(targetDir)}.scaffold-${crypto.randomBytes(4).toString("hex")}`);
  fs.mkdirSync(staging, { recursive: true });
  try {
    const files = options.language === "python" ? writePythonProject(staging, options, names) : writeProject(staging, options, names);
    if (options.signal?.aborted) throw new UserCancelledError("new workload");
    if (!fs.existsSync(targetDir)) {
      fs.renameSync(staging, targetDir);
      return { dir: targetDir, names, files };
    }
    const clashes = existingProjectFiles(targetDir, files);
    if (clashes.length && !options.force) {
      throw new Error(
        `${targetDir} already has ${clashes.slice(0, 5).join(", ")}${clashes.length > 5 ? ` and ${clashes.length - 5} more` : ""}: choose an empty folder, or replace them with --force`,
      );
    }
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(targetDir, file)), { recursive: true });
      fs.renameSync(path.join(staging, file), path.join(targetDir, file));
    }
    return { dir: targetDir, names, files };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function writeProject(dir: string, options: GenerateWorkloadOptions, names: WorkloadNames): string[] {
  const { templatesDir } = options.assets;
  const manifest = readTemplateManifest(templatesDir, options.template);
  const vendor = path.join(dir, "vendor");
  fs.mkdirSync(vendor, { recursive: true });
  const runtimeTarball = path.basename(options.assets.runtimeTarball);
  fs.copyFileSync(options.assets.runtimeTarball, path.join(vendor, runtimeTarball));
  const cliSource = cliTarballFor(options.assets, vendor);
  const cliTarball = path.basename(cliSource);
  if (path.dirname(cliSource) !== vendor) fs.copyFileSync(cliSource, path.join(vendor, cliTarball));

  const values: Record<string, string> = {
    workloadName: names.workloadName,
    className: names.className,
    template: options.template,
    description: manifest.description,
    runtimeTarball,
    cliTarball,
    callbackUrlGetter: options.callbackUrl === undefined ? "" : callbackUrlGetter(options.callbackUrl),
  };
  values.templateReadme = renderTemplate(manifest.readme, values, "template.json");
  return [`vendor/${runtimeTarball}`, `vendor/${cliTarball}`, ...writeTemplateFiles(dir, templatesDir, options.template, values)].sort();
}

function callbackUrlGetter(url: string): string {
  return `\n  /** where the FinalizeTask posts the job summary, unless BATCH_CALLBACK_URL or \`run --callback-url\` says otherwise */\n  override get callbackUrl(): string | undefined {\n    return ${JSON.stringify(url)};\n  }\n`;
}

/** https anywhere, http only to this machine (what the runtime accepts). */
export function validateCallbackUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--callback-url '${value}' is not a URL: give an https URL (or http://localhost… for local runs)`);
  }
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) {
    throw new Error(`--callback-url '${value}' must be https (http only to localhost/127.0.0.1)`);
  }
}
