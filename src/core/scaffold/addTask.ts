// Why: `add-task`: writes a task class + builder under src/tasks/ and registers it in the workload file through the
// TypeScript compiler API; an unrecognised file is refused and left byte-for-byte as it was.

import * as fs from "node:fs";
import * as path from "node:path";
import { taskLaunchConfiguration } from "./launchConfig";
import { taskNames, type TaskNames } from "./names";
import { findInsertionPoints, loadTypeScript, UnrecognisedWorkloadError } from "./workloadSource";

export interface AddTaskOptions {
  readonly workloadDir: string;
  readonly name: string;
  /** relative to workloadDir (default src/workload.ts) */
  readonly workloadFile?: string;
}

export interface AddedTask {
  readonly names: TaskNames;
  /** files created or changed, relative to workloadDir */
  readonly created: string;
  readonly changed: readonly string[];
}

export function addTask(options: AddTaskOptions): AddedTask {
  const names = taskNames(options.name);
  const workloadDir = path.resolve(options.workloadDir);
  const relativeWorkloadFile = options.workloadFile ?? path.join("src", "workload.ts");
  const workloadFile = path.resolve(workloadDir, relativeWorkloadFile);
  if (path.relative(workloadDir, workloadFile).startsWith(".."))
    throw new Error(`--workload-file '${relativeWorkloadFile}' is outside ${workloadDir}: give a path inside the workload folder`);
  if (!fs.existsSync(workloadFile))
    throw new Error(`no workload file at ${workloadFile}: run add-task in a workload folder (created by 'batch-manager new'), or give --workload-file`);

  const original = fs.readFileSync(workloadFile, "utf8");
  const points = findInsertionPoints(loadTypeScript(), path.relative(workloadDir, workloadFile), original);
  if (points.registered.has(names.taskClass) || points.topLevelNames.has(names.taskClass) || points.topLevelNames.has(names.builderClass)) {
    throw new UnrecognisedWorkloadError(`${names.taskClass} already exists in ${path.relative(workloadDir, workloadFile)}: choose another task name`);
  }
  const taskFile = path.join(path.dirname(workloadFile), "tasks", `${names.fileName}.ts`);
  const taskFileRelative = path.relative(workloadDir, taskFile).split(path.sep).join("/");
  if (fs.existsSync(taskFile)) throw new Error(`${taskFileRelative} already exists: choose another task name`);

  const importLine = `import { ${names.taskClass}, ${names.builderClass} } from "./tasks/${names.fileName}";`;
  const registration = `this.entryPointsRepository.registerEntryPoint(${names.taskClass}, ${names.builderClass});`;
  const edits = [
    { at: points.importEnd, text: points.importEnd === 0 ? `${importLine}\n` : `\n${importLine}` },
    { at: points.registrationEnd, text: `\n${points.indent}${registration}` },
  ].sort((a, b) => b.at - a.at);
  const updated = edits.reduce((text, edit) => text.slice(0, edit.at) + edit.text + text.slice(edit.at), original);

  fs.mkdirSync(path.dirname(taskFile), { recursive: true });
  writeAtomically(taskFile, taskSource(names), "wx");
  try {
    writeAtomically(workloadFile, updated);
  } catch (error) {
    fs.rmSync(taskFile, { force: true });
    throw error;
  }
  const changed = [path.relative(workloadDir, workloadFile).split(path.sep).join("/")];
  if (addLaunchConfiguration(workloadDir, names)) changed.push(".vscode/launch.json");
  return { names, created: taskFileRelative, changed };
}

function taskSource(names: TaskNames): string {
  return `// Why: the ${names.taskClass} task (added by batch-manager add-task): what one ${names.taskClass} does on a node.
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { WorkloadTask, WorkloadTaskBuilder, type TaskContext } from "@batch-manager/runtime";

/** The arguments the job manager gives each ${names.taskClass} (\`this.addWorkloadTask(${names.taskClass}, { … })\`). */
export interface ${names.argsInterface} {
  message?: string;
}

export class ${names.taskClass} extends WorkloadTask<${names.argsInterface}> {
  override async run(context: TaskContext<${names.argsInterface}>): Promise<void> {
    const text = \`${names.taskClass} ran in job \${context.jobId}: \${context.args.message ?? "no message"}\\n\`;
    await fs.writeFile(path.join(context.directories.working, "${names.fileName}.txt"), text);
    context.reportProgress(100, "done");
    context.logger.info("wrote ${names.fileName}.txt");
  }
}

/** Builds the task on the node: the place to inject services and configuration. */
export class ${names.builderClass} extends WorkloadTaskBuilder<${names.taskClass}> {
  override build(): ${names.taskClass} {
    return new ${names.taskClass}();
  }
}
`;
}

/** Adds `Debug <Task>` to .vscode/launch.json when it is plain JSON with a configurations array; false when it leaves it alone. */
function addLaunchConfiguration(workloadDir: string, names: TaskNames): boolean {
  const file = path.join(workloadDir, ".vscode", "launch.json");
  if (!fs.existsSync(file)) return false;
  let launch: { configurations?: unknown };
  try {
    launch = JSON.parse(fs.readFileSync(file, "utf8")) as { configurations?: unknown };
  } catch {
    return false; // comments or trailing commas: leave the person's file as it is
  }
  if (!Array.isArray(launch.configurations)) return false;
  launch.configurations.push(taskLaunchConfiguration({ entryPoint: names.taskClass, args: { message: "hello" } }));
  writeAtomically(file, `${JSON.stringify(launch, null, 2)}\n`);
  return true;
}

function writeAtomically(file: string, text: string, flag: "w" | "wx" = "w"): void {
  if (flag === "wx" && fs.existsSync(file)) throw new Error(`${file} already exists`);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}
