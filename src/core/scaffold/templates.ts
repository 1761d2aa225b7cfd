// Why: the catalog of workload templates (files under templates/<id>/ plus the shared templates/common/) and how a template's files become a project's.

import * as fs from "node:fs";
import * as path from "node:path";
import { listFiles } from "../workload/buildWorkload";
import { launchJson } from "./launchConfig";

export const TEMPLATE_IDS = ["hello-world", "scatter-gather", "parameter-sweep"] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export const WORKLOAD_LANGUAGES = ["typescript", "python"] as const;
export type WorkloadLanguage = (typeof WORKLOAD_LANGUAGES)[number];

export function workloadLanguageProblem(value: string): string | undefined {
  return (WORKLOAD_LANGUAGES as readonly string[]).includes(value) ? undefined : `unknown language '${value}': use one of ${WORKLOAD_LANGUAGES.join(", ")}`;
}

/** The folder of a language's templates: TypeScript's are at the root, Python's under python/. */
export function languageTemplatesDir(templatesDir: string, language: WorkloadLanguage = "typescript"): string {
  return language === "python" ? path.join(templatesDir, "python") : templatesDir;
}

/** One debug configuration the template's launch.json gets: a task run on its own with these arguments. */
export interface TemplateTaskLaunch {
  readonly entryPoint: string;
  readonly args: Record<string, unknown>;
}

/** templates/<id>/template.json */
export interface TemplateManifest {
  readonly label: string;
  readonly description: string;
  /** markdown for the generated README's "What it does" section (may use {{placeholders}}) */
  readonly readme: string;
  /** example arguments of the job, for `run --args` and the README */
  readonly jobArgs: Record<string, unknown>;
  readonly tasks: readonly TemplateTaskLaunch[];
}

export function isTemplateId(value: string): value is TemplateId {
  return (TEMPLATE_IDS as readonly string[]).includes(value);
}

export function templateIdProblem(value: string): string | undefined {
  return isTemplateId(value) ? undefined : `unknown template '${value}': use one of ${TEMPLATE_IDS.join(", ")}`;
}

export function readTemplateManifest(templatesDir: string, id: TemplateId): TemplateManifest {
  return JSON.parse(fs.readFileSync(path.join(templatesDir, id, "template.json"), "utf8")) as TemplateManifest;
}

/** A template file's path in the project: `_gitignore` → `.gitignore`, `_vscode/x` → `.vscode/x`, `main.ts.tmpl` → `main.ts` (`__init__.py` stays). */
export function projectPath(templatePath: string): string {
  return templatePath
    .split("/")
    .map((segment) => (segment.startsWith("_") && !segment.startsWith("__") ? `.${segment.slice(1)}` : segment))
    .join("/")
    .replace(/\.tmpl$/, "");
}

/** Every file of the template with the common ones, keyed by project path (the template's own file wins), manifest excluded. */
export function templateFiles(templatesDir: string, id: TemplateId): Map<string, string> {
  const files = new Map<string, string>();
  for (const folder of ["common", id]) {
    const root = path.join(templatesDir, folder);
    for (const file of listFiles(root)) if (file !== "template.json") files.set(projectPath(file), path.join(root, file));
  }
  return files;
}

/** Replaces every `{{name}}`; a placeholder without a value is a bug in the template, so it throws. */
export function renderTemplate(text: string, values: Readonly<Record<string, string>>, file: string): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`the template file ${file} uses {{${name}}}, which has no value`);
    return value;
  });
}

/** Writes every template file with its placeholders filled in, then .vscode/launch.json; returns the paths written. */
export function writeTemplateFiles(dir: string, templatesDir: string, template: TemplateId, values: Record<string, string>): string[] {
  const manifest = readTemplateManifest(templatesDir, template);
  const written: string[] = [];
  for (const [file, source] of templateFiles(templatesDir, template)) {
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, renderTemplate(fs.readFileSync(source, "utf8"), values, source));
    written.push(file);
  }
  fs.mkdirSync(path.join(dir, ".vscode"), { recursive: true });
  fs.writeFileSync(path.join(dir, ".vscode", "launch.json"), launchJson(manifest.tasks, manifest.jobArgs));
  return [...written, ".vscode/launch.json"];
}
