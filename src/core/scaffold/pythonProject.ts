// Why: the Python flavour of `new`: the templates under templates/python/ plus a copy of the pure-Python `batch_manager`
// package, so the project imports it beside main.py and deploy zips it with the workload wherever the CLI or extension lives.

import * as fs from "node:fs";
import * as path from "node:path";
import { listFiles } from "../workload/buildWorkload";
import type { GenerateWorkloadOptions } from "./generateWorkload";
import type { WorkloadNames } from "./names";
import { languageTemplatesDir, readTemplateManifest, renderTemplate, TEMPLATE_IDS, type TemplateId, writeTemplateFiles } from "./templates";

/** The folder name of the runtime package inside a Python project (deploy zips it beside main.py). */
export const PYTHON_RUNTIME_PACKAGE = "batch_manager";

/** The templates that exist for Python (a subset of TEMPLATE_IDS while the others are written). */
export function pythonTemplateIds(templatesDir: string): TemplateId[] {
  const root = languageTemplatesDir(templatesDir, "python");
  return TEMPLATE_IDS.filter((id) => fs.existsSync(path.join(root, id, "template.json")));
}

export function writePythonProject(dir: string, options: GenerateWorkloadOptions, names: WorkloadNames): string[] {
  const templatesDir = languageTemplatesDir(options.assets.templatesDir, "python");
  const available = pythonTemplateIds(options.assets.templatesDir);
  if (!available.includes(options.template)) {
    throw new Error(`--template ${options.template} has no Python version yet: use --template ${available.join(" or ")} with --language python`);
  }
  const runtime = options.assets.pythonRuntimePackage;
  if (!runtime) {
    throw new Error(
      `the Python runtime package (batch_manager) is missing beside ${options.assets.templatesDir}: reinstall the batch-manager CLI (or run 'npm run build' in a clone)`,
    );
  }
  const manifest = readTemplateManifest(templatesDir, options.template);
  const values: Record<string, string> = {
    workloadName: names.workloadName,
    className: names.className,
    template: options.template,
    description: manifest.description,
    callbackUrlGetter: options.callbackUrl === undefined ? "" : pythonCallbackUrlProperty(options.callbackUrl),
  };
  values.templateReadme = renderTemplate(manifest.readme, values, "template.json");
  const written = writeTemplateFiles(dir, templatesDir, options.template, values);
  for (const file of listFiles(runtime).filter((file) => !file.split("/").includes("__pycache__") && !file.endsWith(".pyc"))) {
    const target = path.join(dir, PYTHON_RUNTIME_PACKAGE, ...file.split("/"));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(runtime, ...file.split("/")), target);
    written.push(`${PYTHON_RUNTIME_PACKAGE}/${file}`);
  }
  return written.sort();
}

function pythonCallbackUrlProperty(url: string): string {
  return `\n    @property\n    def callback_url(self) -> str | None:\n        """Where the FinalizeTask posts the job summary, unless BATCH_CALLBACK_URL or \`run --callback-url\` says otherwise."""\n        return ${JSON.stringify(url)}\n`;
}
