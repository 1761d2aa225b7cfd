// Why: composes the local Batch service: durable state, HTTP API, node dispatcher and blob storage (Azurite unless told otherwise).
import * as fs from "node:fs";
import * as path from "node:path";
import type { AccountSettings, HandlerDeps } from "./api/context";
import { resizeForAutoscale } from "./api/autoscale";
import { registerRoutes } from "./api/routes";
import { autoscaleTiming } from "./autoscale/autoscaleTiming";
import { PoolAutoscaler } from "./autoscale/poolAutoscaler";
import { ScheduleRunner } from "./jobSchedules/scheduleRunner";
import { ApplicationStore } from "./applications/applicationStore";
import { LocalArmEndpoint } from "./arm/armEndpoint";
import type { ArmAccount } from "./arm/armRoutes";
import { DEFAULT_HOST, DEFAULT_MAX_NODES, LOCAL_ACCOUNT_KEY, LOCAL_ACCOUNT_NAME } from "./defaults";
import { LocalDispatcher } from "./dispatcher/localDispatcher";
import type { Logger } from "./logger";
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
  accountKey?: string;
  maxNodes?: number;
  /** local-only: the shortest autoscale evaluation interval in ms (Azure's is 5 min); scales sampling too */
  autoscaleMinIntervalMs?: number;
  /** use this blob storage instead of starting Azurite */
  blobStorage?: ExternalBlobStorage;
  logger: Logger;
}

export interface LocalBatchInfo {
  batchUrl: string;
  accountName: string;
  accountKey: string;
  blobEndpoint: string;
  storageAccountName: string;
  storageAccountKey: string;
  dataDir: string;
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
  ) {}

  static async start(options: LocalBatchOptions): Promise<LocalBatchService> {
    const dataDir = path.resolve(options.dataDir);
    fs.mkdirSync(dataDir, { recursive: true });
    const { logger } = options;
    const accountName = options.accountName ?? LOCAL_ACCOUNT_NAME;
    const accountKey = options.accountKey ?? LOCAL_ACCOUNT_KEY;
    const host = options.host ?? DEFAULT_HOST;
    const azurite = options.blobStorage ? undefined : await startAzurite({ dataDir, logger });
    const storage = options.blobStorage ?? azurite!;
    try {
      const state = BatchState.open(path.join(dataDir, "state"));
      const spec = new BatchSpec();
      const router = new Router(spec);
      const account: AccountSettings = {
        accountName,
        batchUrl: "", // known once the port is
        dataDir,
        storage: { blobEndpoint: storage.blobEndpoint, accountName: storage.accountName, accountKey: storage.accountKey },
      };
      const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
      const agent = new LocalNodeAgent({ state, account, logger, maxNodes, applications: new ApplicationStore(dataDir) });
      const dispatcher = new LocalDispatcher({ state, account, logger, maxNodes, agent });
      const deps: HandlerDeps = { state, dispatcher, account, logger };
      const timing = autoscaleTiming(options.autoscaleMinIntervalMs);
      const autoscaler = new PoolAutoscaler({ state, logger, timing, resize: (pool, targets) => resizeForAutoscale(deps, pool, targets) });
      deps.autoscaler = autoscaler;
      const schedules = new ScheduleRunner({ state, dispatcher, logger, baseUrl: () => account.batchUrl });
      registerRoutes(router, deps);
      const accounts = new Map([[accountName, accountKey]]);
      const armAccount: ArmAccount = { accountName, batchUrl: "", location: "local", storageAccountName: storage.accountName };
      const arm = new LocalArmEndpoint(armAccount, accounts, deps, account.storage, logger);
      const server = new BatchHttpServer({ host, port: options.port ?? 0, accounts, router, logger, arm });
      const port = await server.listen();
      account.batchUrl = `http://${host}:${port}`;
      armAccount.batchUrl = account.batchUrl;
      dispatcher.start();
      // the task-spawning process is ready before the first task (src/local/node/spawnLauncher.ts)
      agent.launcher.prestart();
      autoscaler.start();
      schedules.start();
      logger.info(`local Batch service for account ${accountName} listening at ${account.batchUrl}, data in ${dataDir}, blob storage ${storage.blobEndpoint}`);
      const info: LocalBatchInfo = {
        batchUrl: account.batchUrl,
        accountName,
        accountKey,
        blobEndpoint: storage.blobEndpoint,
        storageAccountName: storage.accountName,
        storageAccountKey: storage.accountKey,
        dataDir,
      };
      return new LocalBatchService(info, server, dispatcher, state, azurite, autoscaler, schedules);
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
    this.state.close();
    await this.azurite?.stop();
  }
}
