// Why: the standalone `batch-task` debug adapter (DAP over stdio), bundled to dist/debugAdapter.js and named by contributes.debuggers[].program.
import * as path from "node:path";
import { BatchTaskDebugSession } from "./batchTaskSession";

const session = new BatchTaskDebugSession({ cliPath: process.env.BATCH_MANAGER_CLI ?? path.join(__dirname, "cli.js") });
process.once("SIGTERM", () => void session.stopRunning().finally(() => session.shutdown()));
session.start(process.stdin, process.stdout);
