// Why: `batch-manager new` and `batch-manager add-task`: scaffold a workload project from a template, and add a task to one.
import * as path from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { addTask } from "../core/scaffold/addTask";
import { locateScaffoldAssets } from "../core/scaffold/assets";
import { newWorkloadWorkflow, type NewWorkloadContext } from "../core/scaffold/newWorkloadWorkflow";
import {
  TEMPLATE_IDS,
  templateIdProblem,
  WORKLOAD_LANGUAGES,
  workloadLanguageProblem,
  type TemplateId,
  type WorkloadLanguage,
} from "../core/scaffold/templates";
import { runWorkflow, scriptedPromptUi } from "../core/wizard/wizard";

function templateOption(value: string): TemplateId {
  const problem = templateIdProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value as TemplateId;
}

function languageOption(value: string): WorkloadLanguage {
  const problem = workloadLanguageProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value as WorkloadLanguage;
}

export function registerScaffoldCommands(program: Command): void {
  program
    .command("new")
    .description("Create a workload project (build, tests on the local service, debug configurations) from a template.")
    .argument("<dir>", "the project folder (created; must not hold the project's files unless --force)")
    .option("-t, --template <template>", `one of ${TEMPLATE_IDS.join(", ")}`, templateOption, "hello-world")
    .option("-l, --language <language>", `one of ${WORKLOAD_LANGUAGES.join(", ")}`, languageOption, "typescript")
    .option("--name <name>", "the workload name (npm package, Batch application id); default: the folder's name")
    .option("--callback-url <url>", "where the FinalizeTask posts the job summary by default (https, or http to localhost)")
    .option("--force", "replace files of the project that already exist in the folder", false)
    .option("--install", "run npm install in the new project (TypeScript)", false)
    .option("--json", "print one JSON line {dir, files} instead of the next steps", false)
    .action(
      async (
        dir: string,
        options: { template: TemplateId; language: WorkloadLanguage; name?: string; callbackUrl?: string; force: boolean; install: boolean; json: boolean },
      ) => {
        const context: NewWorkloadContext = {
          template: options.template,
          language: options.language,
          name: options.name ?? path.basename(path.resolve(dir)),
          targetDir: path.resolve(dir),
          parentDir: process.cwd(),
          callbackUrl: options.callbackUrl,
          force: options.force,
          askBeforeReplacing: false,
          install: options.install,
          assets: locateScaffoldAssets(__dirname),
        };
        const controller = new AbortController();
        process.once("SIGINT", () => controller.abort());
        const progress = { report: (message: string) => (options.json ? undefined : process.stderr.write(`${message}\n`)) };
        const { result } = await runWorkflow(newWorkloadWorkflow, context, scriptedPromptUi({}), progress, controller.signal);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ dir: result!.dir, workloadName: result!.names.workloadName, files: result!.files })}\n`);
          return;
        }
        const relative = path.relative(process.cwd(), result!.dir) || ".";
        if (options.language === "python") {
          process.stdout.write(
            `Created ${result!.names.workloadName} (${options.template}, Python) in ${result!.dir}\n\nNext:\n  cd ${relative}\n  python3 -m pytest           # runs the workload on the local Batch service\n  batch-manager deploy --yes && batch-manager run --wait\n`,
          );
          return;
        }
        process.stdout.write(
          `Created ${result!.names.workloadName} (${options.template}) in ${result!.dir}\n\nNext:\n  cd ${relative}\n${options.install ? "" : "  npm install\n"}  npm test                  # runs the workload on the local Batch service\n  npx batch-manager deploy --yes && npx batch-manager run --wait\n`,
        );
      },
    );

  program
    .command("add-task")
    .description("Add a task class and its builder to a workload and register it in the workload file (src/workload.ts).")
    .argument("<name>", "the task's PascalCase name, e.g. ResizeImage (class ResizeImageTask)")
    .option("-C, --dir <dir>", "the workload folder", ".")
    .option("--workload-file <file>", "the file with the class extending WorkloadBase, relative to the workload folder", path.join("src", "workload.ts"))
    .action((name: string, options: { dir: string; workloadFile: string }) => {
      const added = addTask({ workloadDir: options.dir, name, workloadFile: options.workloadFile });
      process.stdout.write(
        `Added ${added.names.taskClass} (${added.created}) and registered it in ${added.changed.join(", ")}.\nPlan it in the job manager: this.addWorkloadTask(${added.names.taskClass}, { message: "…" })\n`,
      );
    });
}
