// Why: `batch-manager local start|status|stop`: the local Batch service in the foreground, and its control.
import * as fs from "node:fs";
import * as path from "node:path";
import * as v8 from "node:v8";
import { setTimeout as delay } from "node:timers/promises";
import { type Command, InvalidArgumentError } from "commander";
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME, DEFAULT_MAX_NODES, DEFAULT_PORT } from "../local/common/defaults";
import { createLineLogger, type Logger } from "../local/common/logger";
import { checkBindHost, LocalBatchService, type ExternalBlobStorage } from "../local/service";
import { parseLocalDelay } from "../local/node/isoDuration";
import { localTiming, TIMING_PRESETS, type TimingPreset } from "../local/common/timing";
import { connectionOf } from "../core/localService/connection";
import { defaultLocalDataDir } from "../core/localService/dataDir";
import { startDetachedLocalService } from "../core/localService/detachedStart";
import { runningLocalService } from "../core/localService/localServiceLease";
import { removeOwnerFile } from "../core/localService/ownerFile";
import { watchParent } from "../core/localService/parentWatch";
import { claimDataFolder, dataFolderLockHolder, removeStaleLock } from "../core/localService/dataFolderLock";
import { isSameProcess, liveServiceFile, readServiceFile, removeServiceFile, writeServiceFile, type ServiceFile } from "../core/localService/serviceFile";

function wholeNumber(name: string, minimum: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < minimum) throw new InvalidArgumentError(`${name} must be a whole number of ${minimum} or more.`);
    return value;
  };
}

/** A local-only delay: milliseconds or an ISO 8601 duration, up to an hour. */
function localDelay(name: string) {
  return (text: string): number => {
    const value = parseLocalDelay(text);
    if (value === undefined) throw new InvalidArgumentError(`${name} must be milliseconds (1500) or an ISO 8601 duration (PT1.5S), at most an hour.`);
    return value;
  };
}

function timingPreset(text: string): TimingPreset {
  if (!(text in TIMING_PRESETS)) throw new InvalidArgumentError(`--timing must be ${Object.keys(TIMING_PRESETS).join(" or ")}; got '${text}'.`);
  return text as TimingPreset;
}

function fileLogger(dataDir: string, verbose: boolean): Logger {
  const logDir = path.join(dataDir, "logs");
  fs.mkdirSync(logDir, { recursive: true });
  const stream = fs.createWriteStream(path.join(logDir, "local-batch.log"), { flags: "a" });
  let corked = false;
  return createLineLogger(
    (line) => {
      // the lines of one turn of the event loop (a busy scheduler's starts and exits) go out in one write
      if (!corked) {
        corked = true;
        stream.cork();
        process.nextTick(() => {
          corked = false;
          stream.uncork();
        });
      }
      stream.write(`${line}\n`);
      if (verbose) process.stderr.write(`${line}\n`);
    },
    verbose ? "debug" : "info",
  );
}

function externalStorage(endpoint: string | undefined, options: { blobAccountName?: string }): ExternalBlobStorage | undefined {
  if (!endpoint) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new InvalidArgumentError(`--blob-endpoint must be a URL such as http://127.0.0.1:10000/devstoreaccount1; got '${endpoint}'.`);
  }
  const accountName = options.blobAccountName ?? (url.pathname.split("/").filter(Boolean)[0] || url.hostname.split(".")[0]);
  const accountKey = process.env.BATCH_MANAGER_BLOB_ACCOUNT_KEY ?? (accountName === AZURITE_ACCOUNT_NAME ? AZURITE_ACCOUNT_KEY : undefined);
  if (!accountKey) throw new InvalidArgumentError(`--blob-endpoint: set BATCH_MANAGER_BLOB_ACCOUNT_KEY to the key of storage account '${accountName}'.`);
  return { blobEndpoint: endpoint.replace(/\/$/, ""), accountName, accountKey };
}

/**
 * The account the service answers to: `localbatch` (or --account-name) with the data folder's own key, the documented
 * well-known key with --well-known-account, or the key in BATCH_MANAGER_LOCAL_ACCOUNT_KEY.
 */
function accountCredentials(
  accountName: string | undefined,
  wellKnownAccount: boolean,
): { accountName?: string; accountKey?: string; wellKnownAccount: boolean } {
  const accountKey = process.env.BATCH_MANAGER_LOCAL_ACCOUNT_KEY;
  if (accountKey !== undefined && wellKnownAccount)
    throw new InvalidArgumentError("--well-known-account uses the documented key: unset BATCH_MANAGER_LOCAL_ACCOUNT_KEY, or leave out the flag.");
  if (accountName !== undefined && !/^[a-z0-9]{3,24}$/.test(accountName)) {
    throw new InvalidArgumentError(`--account-name must be 3 to 24 lower-case letters and digits, as Batch account names are; got '${accountName}'.`);
  }
  if (accountKey !== undefined && !/^[A-Za-z0-9+/]+={0,2}$/.test(accountKey)) {
    throw new InvalidArgumentError("BATCH_MANAGER_LOCAL_ACCOUNT_KEY must be a base64 string (Batch account keys are base64).");
  }
  return { accountName, accountKey, wellKnownAccount };
}

/** service.json and service.lock left by a service that is gone (killed, crashed). */
function removeStaleFiles(dataDir: string): { removedStale?: string[] } {
  const removed: string[] = [];
  const file = readServiceFile(dataDir);
  if (file && !isSameProcess(file.pid, file.processStart)) {
    removeServiceFile(dataDir, file.pid);
    removed.push("service.json");
  }
  if (removeStaleLock(dataDir)) removed.push("service.lock");
  return removed.length > 0 ? { removedStale: removed } : {};
}

export function registerLocalCommands(program: Command): void {
  const local = program.command("local").description("The local Batch service: a Batch account on this machine.");

  local
    .command("start")
    .description("Run the local Batch service in the foreground; prints one JSON line with its URL and account once it accepts requests.")
    .option("--port <n>", `port to listen on (0 = any free port)`, wholeNumber("--port", 0), DEFAULT_PORT)
    .option("--host <address>", "address to bind (a non-loopback one needs --allow-remote)", "127.0.0.1")
    .option("--allow-remote", "allow a --host other machines can reach; Azurite then binds to it too", false)
    .option("--data <dir>", "data folder: state, node directories, logs", defaultLocalDataDir())
    .option("--nodes <n>", "how many nodes all local pools together may have", wholeNumber("--nodes", 1), DEFAULT_MAX_NODES)
    .option(
      "--account-name <name>",
      "Batch account name the service answers to (default: localbatch); its key is the data folder's, or BATCH_MANAGER_LOCAL_ACCOUNT_KEY",
    )
    .option("--well-known-account", "answer to the documented well-known key instead of the data folder's own (samples, CI)", false)
    .option("--show-key", "include the account key in the JSON line (it is in <data>/key otherwise)", false)
    .option("--blob-endpoint <url>", "use this blob endpoint instead of starting Azurite (key from BATCH_MANAGER_BLOB_ACCOUNT_KEY)")
    .option("--blob-account-name <name>", "storage account name of --blob-endpoint (default: from the URL)")
    .option("--verbose", "also write the log to stderr, with debug lines", false)
    .option("--parent-pid <pid>", "stop when this process ends (used by the VS Code extension)", wholeNumber("--parent-pid", 1))
    .option(
      "--parent-grace <seconds>",
      "with --parent-pid: keep running this long after the parent ends, so a reloaded editor can adopt the service (0 = stop at once)",
      wholeNumber("--parent-grace", 0),
      0,
    )
    .option(
      "--autoscale-min-interval <ms>",
      "local only, for tests: accept autoScaleEvaluationInterval down to this many ms (100 to 300000; Azure's minimum is 5 minutes) and sample autoscale metrics proportionally faster",
      wholeNumber("--autoscale-min-interval", 100),
    )
    .option(
      "--timing <preset>",
      `local only: ${Object.keys(TIMING_PRESETS).join(" or ")}; realistic waits about as long as Azure typically does (allocation, node start, scheduling, deallocation); the delay options below override it`,
      timingPreset,
      "fast",
    )
    .option(
      "--allocation-delay <duration>",
      "local only, for tests: a growing pool stays resizing this long before its new nodes join (ms or ISO 8601, e.g. PT2S)",
      localDelay("--allocation-delay"),
    )
    .option(
      "--node-start-delay <duration>",
      "local only, for tests: each node stays starting this long before its start task (ms or ISO 8601)",
      localDelay("--node-start-delay"),
    )
    .option(
      "--scheduling-delay <duration>",
      "local only, for tests: a task stays active at least this long before it is placed on a node (ms or ISO 8601)",
      localDelay("--scheduling-delay"),
    )
    .option(
      "--deallocation-delay <duration>",
      "local only, for tests: a leaving node (resize down, removeNodes, pool delete) takes this long to go (ms or ISO 8601)",
      localDelay("--deallocation-delay"),
    )
    .option("--detach", "start the service in the background, print its JSON line and return (stop it with 'local stop')", false)
    .action(
      async (options: {
        port: number;
        host: string;
        data: string;
        nodes: number;
        blobEndpoint?: string;
        blobAccountName?: string;
        verbose: boolean;
        parentPid?: number;
        parentGrace: number;
        accountName?: string;
        wellKnownAccount: boolean;
        allowRemote: boolean;
        showKey: boolean;
        detach: boolean;
        autoscaleMinInterval?: number;
        timing: TimingPreset;
        allocationDelay?: number;
        nodeStartDelay?: number;
        schedulingDelay?: number;
        deallocationDelay?: number;
      }) => {
        if (options.autoscaleMinInterval !== undefined && options.autoscaleMinInterval > 300_000)
          throw new InvalidArgumentError("--autoscale-min-interval must be at most 300000 (5 minutes, Azure's own minimum).");
        const dataDir = path.resolve(options.data);
        checkBindHost(options.host, options.allowRemote);
        const credentials = accountCredentials(options.accountName, options.wellKnownAccount);
        if (options.detach) {
          const running = runningLocalService(dataDir);
          if (running)
            throw new Error(
              `a local Batch service already runs with data folder ${dataDir} at ${running.batchUrl}; stop it with 'batch-manager local stop --data ${dataDir}'.`,
            );
          // the key is printed here if asked for, never into the detached service's output file
          const forwarded = process.argv.slice(process.argv.indexOf("start") + 1).filter((arg) => arg !== "--detach" && arg !== "--show-key");
          const { pid, accountKey, ...connection } = await startDetachedLocalService({ cliPath: process.argv[1], dataDir, extraArgs: forwarded });
          const { accountKeySource } = readServiceFile(dataDir) ?? {};
          process.stdout.write(`${JSON.stringify({ ...connection, accountKeySource, ...(options.showKey ? { accountKey } : {}), pid })}\n`);
          return;
        }
        // a long-running service holding every record in memory: V8 grows the heap less eagerly (with 100,000 completed
        // tasks, resident memory 430 → 298 MiB for the same 167 MiB of live objects; see README "Benchmarks")
        v8.setFlagsFromString("--optimize-for-size");
        // before Azurite or state/ are touched: a second start on the folder refuses, naming the first one's URL
        const lock = await claimDataFolder(dataDir);
        process.once("exit", () => lock.release());
        const logger = fileLogger(dataDir, options.verbose);
        const service = await LocalBatchService.start({
          dataDir,
          host: options.host,
          port: options.port,
          maxNodes: options.nodes,
          autoscaleMinIntervalMs: options.autoscaleMinInterval,
          ...localTiming(options.timing, options),
          ...credentials,
          allowRemote: options.allowRemote,
          blobStorage: externalStorage(options.blobEndpoint, options),
          logger,
        }).catch((error: unknown) => {
          lock.release();
          throw error;
        });
        const { info } = service;
        // before service.json: a controller that sees the service running also sees who owns it (service.owner, with a grace period)
        if (options.parentPid !== undefined) {
          watchParent({ dataDir, parentPid: options.parentPid, graceSeconds: options.parentGrace, logger, stop: (reason) => void shutdown(reason) });
        }
        writeServiceFile({
          pid: process.pid,
          batchUrl: info.batchUrl,
          accountName: info.accountName,
          accountKeySource: info.accountKeySource,
          blobEndpoint: info.blobEndpoint,
          dataDir,
          startedAt: new Date().toISOString(),
        });
        process.stdout.write(
          `${JSON.stringify({
            batchUrl: info.batchUrl,
            accountName: info.accountName,
            accountKeySource: info.accountKeySource,
            ...(options.showKey ? { accountKey: info.accountKey } : {}),
            blobEndpoint: info.blobEndpoint,
            storageAccountName: info.storageAccountName,
            dataDir,
          })}\n`,
        );
        let stopping = false;
        const shutdown = async (signal: string) => {
          if (stopping) return;
          stopping = true;
          logger.info(`received ${signal}; stopping`);
          await service.stop();
          removeServiceFile(dataDir, process.pid);
          removeOwnerFile(dataDir, process.pid);
          lock.release();
          process.exit(0);
        };
        process.on("SIGINT", () => void shutdown("SIGINT"));
        process.on("SIGTERM", () => void shutdown("SIGTERM"));
      },
    );

  local
    .command("status")
    .description("Tell whether a local Batch service runs for a data folder (exit code 3 when none does).")
    .option("--data <dir>", "data folder", defaultLocalDataDir())
    .option("--show-key", "include the account key of the running service", false)
    .action((options: { data: string; showKey: boolean }) => {
      const dataDir = path.resolve(options.data);
      const file = liveServiceFile(dataDir);
      const starting = file ? undefined : dataFolderLockHolder(dataDir);
      const key = file && options.showKey ? { accountKey: connectionOf({ running: true, ...file }, dataDir).accountKey } : {};
      process.stdout.write(
        `${JSON.stringify(file ? { running: true, ...file, ...key } : { running: false, dataDir, ...(starting ? { starting: true, pid: starting.pid } : {}) })}\n`,
      );
      if (!file) process.exitCode = 3;
    });

  local
    .command("stop")
    .description("Stop the local Batch service of a data folder.")
    .option("--data <dir>", "data folder", defaultLocalDataDir())
    .action(async (options: { data: string }) => {
      const dataDir = path.resolve(options.data);
      const file: Pick<ServiceFile, "pid" | "processStart"> | undefined = liveServiceFile(dataDir) ?? dataFolderLockHolder(dataDir);
      if (!file) {
        process.stdout.write(`${JSON.stringify({ stopped: false, reason: "not running", dataDir, ...removeStaleFiles(dataDir) })}\n`);
        return;
      }
      process.kill(file.pid, "SIGTERM");
      // a service that exited but is not yet reaped by its parent (a zombie) has stopped
      for (let waited = 0; waited < 15_000 && isSameProcess(file.pid, file.processStart); waited += 100) await delay(100);
      if (isSameProcess(file.pid, file.processStart)) throw new Error(`the local Batch service (pid ${file.pid}) did not stop within 15 s.`);
      removeStaleFiles(dataDir);
      process.stdout.write(`${JSON.stringify({ stopped: true, pid: file.pid, dataDir })}\n`);
    });
}
