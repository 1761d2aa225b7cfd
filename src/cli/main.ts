#!/usr/bin/env node
// Why: the `batch-manager` command line: the same operations as the extension, for terminals and CI pipelines.
import { Command } from "commander";
import { errorMessage } from "./errorMessage";
import { registerLocalCommands } from "./localCommands";
import { registerDeployCommands } from "./deployCommands";
import { registerScaffoldCommands } from "./scaffoldCommands";
import { registerDemoCommand } from "./workloadDemo";

const program = new Command();
program.name("batch-manager").description("Azure Batch Manager: run, test and watch Azure Batch workloads locally and in Azure.").version("0.1.0");
registerLocalCommands(program);
registerDeployCommands(program);
registerScaffoldCommands(program);
registerDemoCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`batch-manager: ${errorMessage(error)}\n`);
  process.exit(1);
});
