// Why: composes the local Batch service: durable state, HTTP API, node dispatcher and blob storage (Azurite unless told otherwise).
import * as fs from "node:fs";
import * as path from "node:path";
import type { HandlerDeps } from "./api/context";
import type { AccountSettings } from "./common/account";
import { resizeForAutoscale } from "./api/autoscale";
import { newScheduledJob } from "./api/jobScheduleWire";
import { registerRoutes } from "./api/routes";
import { UsageSampler } from "./api/usageMetrics";
import { autoscaleTiming } from "./autoscale/autoscaleTiming";
import { PoolAutoscaler } from "./autoscale/poolAutoscaler";
import { ScheduleRunner } from "./jobSchedules/scheduleRunner";
import { ApplicationStore } from "./applications/applicationStore";
import { LocalArmEndpoint } from "./arm/armEndpoint";
import type { ArmAccount } from "./arm/armRoutes";
import { type AccountKeySource, ensureAccountKey } from "./common/accountKey";
import { DEFAULT_HOST, DEFAULT_MAX_NODES, LOCAL_ACCOUNT_KEY, LOCAL_ACCOUNT_NAME } from "./common/defaults";
import { LocalDispatcher } from "./dispatcher/localDispatcher";
import type { Logger } from "./common/logger";
import { LocalNodeAgent } from "./node/localNodeAgent";
import { BatchSpec } from "./protocol/spec";
import { BatchHttpServer } from "./server/httpServer";
import { Router } from "./server/router";
import { startAzurite, type AzuriteInstance } from "./storage";
import { BatchState } from "./store/batchState";

export interface ExternalBlobStorage {
  blobEndpoint: string;
  accountName: string;
  accountKey: string;
}

export interface LocalBatchOptions {
  dataDir: string;
  host?: string;
  /** 0 picks a free port */
  port?: number;
  accountName?: string;
  /** the key to answer to; default: the data folder's own key (`<data>/key`, made on the first start) */
  accountKey?: string;
  /** answer to the documented well-known key instead of the data folder's (samples, CI); ignored when accountKey is given */
  wellKnownAccount?: boolean;
  /** bind to a host other than loopback (and Azurite with it); without it such a host is refused */
  allowRemote?: boolean;
  maxNodes?: number;
  /** local-only: the shortest autoscale evaluation interval in ms (Azure's is 5 min); scales sampling too */
  autoscaleMinIntervalMs?: number;
  /** local-only: how long a growing pool stays resizing before its new nodes join (ms; default 0) */
  allocationDelayMs?: number;
  /** local-only: how long each node stays starting before its start task (ms; default 0) */
  nodeStartDelayMs?: number;
  /** local-only: how long leaving nodes and deleted pools take to go (ms; default 0) */
  deallocationDelayMs?: number;
  /** local-only: the least time from a task becoming active to its placement (ms; default 0) */
  schedulingDelayMs?: number;
  /** use this blob storage instead of starting Azurite */
  blobStorage?: ExternalBlobStorage;
  logger: Logger;
}

export interface LocalBatchInfo {
  batchUrl: string;
  accountName: string;
  accountKey: string;
  /** where accountKey came from, for the service file: clients read the key from there */
  accountKeySource: AccountKeySource;
  blobEndpoint: string;
  storageAccountName: string;
  storageAccountKey: string;
  dataDir: string;
}

/** True for the addresses only this machine can reach: 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare) || /^::ffff:127(\.\d{1,3}){3}$/.test(bare);
}

/** The host to bind: loopback unless allowRemote says otherwise (the account key would otherwise be the network's only guard). */
export function checkBindHost(host: string, allowRemote: boolean | undefined): void {
  if (isLoopbackHost(host) || allowRemote) return;
  throw new Error(
    `--host ${host} would let other machines reach the local Batch service and its blob storage; bind to 127.0.0.1 (the default), or pass --allow-remote to bind both to ${host}.`,
  );
}

/** The key the service answers to and where it came from: given, the documented one, or the data folder's. */
function accountKeyFor(options: LocalBatchOptions, dataDir: string): { accountKey: string; accountKeySource: AccountKeySource } {
  if (options.accountKey !== undefined) return { accountKey: options.accountKey, accountKeySource: "environment" };
  if (options.wellKnownAccount) return { accountKey: LOCAL_ACCOUNT_KEY, accountKeySource: "wellKnown" };
  return { accountKey: ensureAccountKey(dataDir), accountKeySource: "keyFile" };
}

export class LocalBatchService {
  private constructor(
    readonly info: LocalBatchInfo,
    private readonly server: BatchHttpServer,
    private readonly dispatcher: LocalDispatcher,
    private readonly state: BatchState,
    private readonly azurite: AzuriteInstance | undefined,
    private readonly autoscaler: PoolAutoscaler,
    private readonly schedules: ScheduleRunner,
    private readonly usage: UsageSampler,
  ) {}

  static async start(options: LocalBatchOptions): Promise<LocalBatchService> {
    const dataDir = path.resolve(options.dataDir);
    fs.mkdirSync(dataDir, { recursive: true });
    const { logger } = options;
    const accountName = options.accountName ?? LOCAL_ACCOUNT_NAME;
    const host = options.host ?? DEFAULT_HOST;
    checkBindHost(host, options.allowRemote);
    const { accountKey, accountKeySource } = accountKeyFor(options, dataDir);
    const azurite = options.blobStorage ? undefined : await startAzurite({ dataDir, logger, host });
    const storage = options.blobStorage ?? azurite!;
    try {
      const state = BatchState.open(path.join(dataDir, "state"));
      const spec = new BatchSpec();
      const router = new Router(spec);
      const account: AccountSettings = {
        accountName,
        accountKey,
        batchUrl: "", // known once the port is
        dataDir,
        storage: { blobEndpoint: storage.blobEndpoint, accountName: storage.accountName, accountKey: storage.accountKey },
      };
      const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
      const agent = new LocalNodeAgent({
        state,
        account,
        logger,
        maxNodes,
        applications: new ApplicationStore(dataDir),
        allocationDelayMs: options.allocationDelayMs,
        nodeStartDelayMs: options.nodeStartDelayMs,
        deallocationDelayMs: options.deallocationDelayMs,
      });
      const dispatcher = new LocalDispatcher({ state, account, logger, maxNodes, agent, schedulingDelayMs: options.schedulingDelayMs });
      const deps: HandlerDeps = { state, dispatcher, account, logger };
      const timing = autoscaleTiming(options.autoscaleMinIntervalMs);
      const autoscaler = new PoolAutoscaler({ state, logger, timing, resize: (pool, targets) => resizeForAutoscale(deps, pool, targets) });
      deps.autoscaler = autoscaler;
      const usage = new UsageSampler(state, dataDir);
      deps.usage = usage;
      const schedules = new ScheduleRunner({
        state,
        dispatcher,
        logger,
        baseUrl: () => account.batchUrl,
        createJob: (schedule, jobId) => newScheduledJob(state, schedule, jobId),
      });
      registerRoutes(router, deps);
      const accounts = new Map([[accountName, accountKey]]);
      const armAccount: ArmAccount = { accountName, batchUrl: "", location: "local", storageAccountName: storage.accountName };
      const arm = new LocalArmEndpoint(armAccount, accounts, deps, account.storage, logger);
      const server = new BatchHttpServer({ host, port: options.port ?? 0, accounts, router, logger, management: arm });
      const port = await server.listen();
      account.batchUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
      armAccount.batchUrl = account.batchUrl;
      dispatcher.start();
      // the task-spawning process is ready before the first task (src/local/node/spawnLauncher.ts)
      agent.launcher.prestart();
      // the bodies every workload sends first
      spec.precompile(["JobAddParameter", "TaskAddCollectionParameter", "TaskAddParameter"]);
      autoscaler.start();
      schedules.start();
      usage.start();
      logger.info(`local Batch service for account ${accountName} listening at ${account.batchUrl}, data in ${dataDir}, blob storage ${storage.blobEndpoint}`);
      const info: LocalBatchInfo = {
        batchUrl: account.batchUrl,
        accountName,
        accountKey,
        accountKeySource,
        blobEndpoint: storage.blobEndpoint,
        storageAccountName: storage.accountName,
        storageAccountKey: storage.accountKey,
        dataDir,
      };
      return new LocalBatchService(info, server, dispatcher, state, azurite, autoscaler, schedules, usage);
    } catch (error) {
      await azurite?.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.server.close();
    this.autoscaler.stop();
    this.schedules.stop();
    await this.dispatcher.stop();
    // the last sample and the totals are written before the store closes
    this.usage.stop();
    this.state.close();
    await this.azurite?.stop();
  }
}
