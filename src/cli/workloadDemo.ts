// Why: `batch-manager demo` — the README's first command: the whole developer loop on the local default, narrated (service → scaffold → install → deploy → run → outputs).

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Command } from "commander";
import { acquireLocalService } from "../core/localService/localServiceLease";
import { locateScaffoldAssets } from "../core/scaffold/assets";
import { generateWorkload } from "../core/scaffold/generateWorkload";
import { npmInstall } from "../core/scaffold/newWorkloadWorkflow";
import { runWorkloadLocally } from "../core/scaffold/testing";

/** The demo's input blobs: three chapters the scatter-gather template counts words in, one task each. */
const CHAPTERS: Record<string, string> = {
  "chapter-1.txt": "It was the best of times, it was the worst of times.\n",
  "chapter-2.txt": "It was the age of wisdom, it was the age of foolishness, it was the epoch of belief.\n",
  "chapter-3.txt": "We had everything before us, we had nothing before us.\n",
};

interface DemoOptions {
  readonly data?: string;
  readonly dir?: string;
}

export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description(
      "The whole loop on this machine: start the local Batch service, scaffold a scatter-gather workload, install, deploy, run the job, print the outputs.",
    )
    .option("--data <dir>", "the local service's data folder (default: a new temporary folder, service stopped at the end)")
    .option("--dir <dir>", "where the workload is created (default: a new temporary folder)")
    .action(async (options: DemoOptions) => {
      process.exitCode = await runDemo(options, (line) => process.stdout.write(`${line}\n`));
    });
}

async function runDemo(options: DemoOptions, say: (line: string) => void): Promise<number> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "batch-manager-demo-"));
  const dataDir = path.resolve(options.data ?? path.join(scratch, "local"));
  const workloadDir = path.resolve(options.dir ?? path.join(scratch, "word-count"));
  const cliPath = process.argv[1];
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());

  say(`1/5 local Batch service (data folder ${dataDir})`);
  const lease = await acquireLocalService({ cliPath, dataDir, keepRunning: false, signal: controller.signal });
  try {
    say(`    ${lease.started ? "started" : "joined"} at ${lease.connection.batchUrl}, blobs in Azurite at ${lease.connection.blobEndpoint}`);
    say(`2/5 batch-manager new ${workloadDir} --template scatter-gather`);
    const generated = await generateWorkload({
      targetDir: workloadDir,
      template: "scatter-gather",
      name: "word-count",
      force: false,
      assets: locateScaffoldAssets(path.dirname(cliPath)),
      signal: controller.signal,
    });
    say(`    ${generated.files.length} files: ${generated.files.filter((file) => file.startsWith("src/")).join(", ")}`);
    say("3/5 npm install");
    await npmInstall(workloadDir, controller.signal);
    say("4/5 deploy (build, zip, application package, pool) and run the job (job manager → one task per chapter → gather → FinalizeTask)");
    const inputs = Object.fromEntries(Object.entries(CHAPTERS).map(([name, text]) => [`inputs/demo/${name}`, text]));
    const run = await runWorkloadLocally({
      workloadDir,
      dataDir,
      cliPath,
      inputs,
      args: { inputContainer: "inputs", inputPrefix: "demo/", outputContainer: "outputs" },
      onProgress: (message) => say(`    ${message}`),
    });
    say(
      `5/5 job ${run.jobId}: ${run.state}; the FinalizeTask reported '${run.summary.result}' (${run.summary.counts.succeeded}/${run.summary.counts.total} tasks succeeded)`,
    );
    for (const task of run.summary.tasks ?? [])
      say(
        `    task ${task.id}${task.entryPoint ? ` (${task.entryPoint})` : ""}: ${task.state}${task.exitCode === undefined ? "" : `, exit code ${task.exitCode}`}`,
      );
    for (const [blob, content] of Object.entries(run.outputs).sort()) say(`    ${blob}: ${compact(content)}`);
    say(`The workload is in ${workloadDir}: open it in VS Code and press F5, or read its README.md.`);
    return run.summary.result === "succeeded" ? 0 : 3;
  } finally {
    await lease.release();
  }
}

/** One line of an output blob: JSON re-serialised without white space, other text with its white space folded; long ones cut. */
function compact(content: string): string {
  let text: string;
  try {
    text = JSON.stringify(JSON.parse(content));
  } catch {
    text = content.trim().replace(/\s+/g, " ");
  }
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}
