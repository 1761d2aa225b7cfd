// Why: "new workload" as one workflow — prompt steps (template, name, folder, replace?) over a typed context, then execute
// steps with progress (write the project, optionally npm install) — shared by `batch-manager new` and "Batch: New Workload…".

import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { UserCancelledError } from "../cancellation";
import { answered, type ExecuteStep, type PromptStep, type Workflow } from "../wizard/wizard";
import type { ScaffoldAssets } from "./assets";
import { generateWorkload, type GeneratedWorkload } from "./generateWorkload";
import { normalizeWorkloadName, workloadNameProblem } from "./names";
import { languageTemplatesDir, readTemplateManifest, TEMPLATE_IDS, type TemplateId, type WorkloadLanguage } from "./templates";

const LANGUAGE_CHOICES: { label: string; value: WorkloadLanguage; detail: string }[] = [
  { label: "TypeScript", value: "typescript", detail: "@batch-manager/runtime, bundled with esbuild; F5 with js-debug" },
  { label: "Python", value: "python", detail: "the batch_manager package, run by the nodes' python3; F5 with debugpy" },
];
import { pythonTemplateIds } from "./pythonProject";

export interface NewWorkloadContext {
  template?: TemplateId;
  /** default typescript */
  language?: WorkloadLanguage;
  name?: string;
  /** the project folder; when missing, asked for (default: parentDir/<name>) */
  targetDir?: string;
  /** where a project folder is proposed (the workspace folder, the current directory) */
  readonly parentDir: string;
  callbackUrl?: string;
  /** replace existing files (CLI --force, or a yes to the question) */
  force: boolean;
  /** ask before replacing files (editor); the CLI refuses and names --force instead */
  readonly askBeforeReplacing: boolean;
  /** run npm install in the new project */
  readonly install: boolean;
  readonly assets: ScaffoldAssets;
  result?: GeneratedWorkload;
}

/** The CLI always says (`--language`, default typescript); the editor asks. */
const pickLanguage: PromptStep<NewWorkloadContext> = {
  shouldPrompt: (context) => context.language === undefined,
  async prompt(context, ui) {
    const items = LANGUAGE_CHOICES.map((choice) => ({ ...choice, description: choice.value }));
    context.language = answered(
      await ui.pick(items, { title: "New Batch workload: language", placeholder: "Which language is the workload written in?" }),
      "language",
    );
  },
};

const pickTemplate: PromptStep<NewWorkloadContext> = {
  shouldPrompt: (context) => context.template === undefined,
  async prompt(context, ui) {
    const ids = context.language === "python" ? pythonTemplateIds(context.assets.templatesDir) : TEMPLATE_IDS;
    const items = ids.map((id) => {
      const manifest = readTemplateManifest(languageTemplatesDir(context.assets.templatesDir, context.language), id);
      return { label: manifest.label, description: id, detail: manifest.description, value: id };
    });
    context.template = answered(await ui.pick(items, { title: "New Batch workload: template", placeholder: "What should the workload do?" }), "template");
  },
};

const inputName: PromptStep<NewWorkloadContext> = {
  shouldPrompt: (context) => context.name === undefined,
  async prompt(context, ui) {
    const proposed = context.targetDir ? normalizeWorkloadName(path.basename(context.targetDir)) : "my-workload";
    const value = await ui.input({
      title: "New Batch workload: name",
      prompt: `The workload's name (${context.language === "python" ? "Python project" : "npm package"} and Batch application id)`,
      value: proposed,
      validate: workloadNameProblem,
    });
    context.name = normalizeWorkloadName(answered(value, "workload name"));
  },
};

const inputFolder: PromptStep<NewWorkloadContext> = {
  shouldPrompt: (context) => context.targetDir === undefined,
  async prompt(context, ui) {
    const value = await ui.input({
      title: "New Batch workload: folder",
      prompt: "The folder to create the project in",
      value: path.join(context.parentDir, context.name ?? "my-workload"),
      validate: (folder) => (folder.trim() ? undefined : "give a folder path"),
    });
    context.targetDir = path.resolve(context.parentDir, answered(value, "folder").trim());
  },
};

const confirmReplace: PromptStep<NewWorkloadContext> = {
  shouldPrompt: (context) => context.askBeforeReplacing && !context.force && isNonEmptyFolder(context.targetDir!),
  async prompt(context, ui) {
    const replace = await ui.confirm(`${context.targetDir} is not empty. Replace the files the new project has in common with it?`, {
      confirmLabel: "Replace",
      detail: "Other files in the folder are left alone.",
    });
    if (!replace) throw new UserCancelledError("new workload");
    context.force = true;
  },
};

const writeProject: ExecuteStep<NewWorkloadContext> = {
  title: "Writing the project",
  async execute(context, _progress, signal) {
    context.result = await generateWorkload({
      targetDir: context.targetDir!,
      template: context.template!,
      language: context.language,
      name: context.name,
      callbackUrl: context.callbackUrl,
      force: context.force,
      assets: context.assets,
      signal,
    });
  },
};

const installDependencies: ExecuteStep<NewWorkloadContext> = {
  title: "Installing dependencies (npm install)",
  shouldExecute: (context) => context.install && context.language !== "python",
  async execute(context, _progress, signal) {
    await npmInstall(context.result!.dir, signal);
  },
};

export const newWorkloadWorkflow: Workflow<NewWorkloadContext> = {
  prompts: [pickLanguage, pickTemplate, inputName, inputFolder, confirmReplace],
  executes: [writeProject, installDependencies],
};

export function npmInstall(dir: string, signal: AbortSignal): Promise<void> {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  return new Promise((resolve, reject) => {
    execFile(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: dir, signal, maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (signal.aborted) reject(new UserCancelledError("npm install"));
      else if (error) reject(new Error(`npm install failed in ${dir}:\n${stderr.trim().split("\n").slice(-15).join("\n")}`));
      else resolve();
    });
  });
}

function isNonEmptyFolder(dir: string): boolean {
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory() && fs.readdirSync(dir).length > 0;
}
