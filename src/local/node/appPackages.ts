// Why: deploys application packages from the local ApplicationStore into a node's applications/ folder, once per node and version.
import AdmZip from "adm-zip";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ApplicationStore } from "../applications/applicationStore";
import type { Logger } from "../common/logger";
import { appPackageVariableNames, type PackageReference } from "./appPackageNames";
import { applicationPackageFailure } from "./failures";
import type { TaskFailureInfo } from "./nodeAgent";

/** A package that could not be deployed: a pre-processing error for a task, an unusable node for a pool package. */
export class ApplicationPackageError extends Error {
  constructor(readonly failureInfo: TaskFailureInfo) {
    super(failureInfo.message);
    this.name = "ApplicationPackageError";
  }
}

function extract(zipPath: string, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    new AdmZip(zipPath).extractAllToAsync(target, true, true, (error) => (error ? reject(error) : resolve()));
  });
}

export class ApplicationDeployer {
  /** folder → deployment in progress, so concurrent tasks on a node share one extraction */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly store: ApplicationStore,
    private readonly logger: Logger,
  ) {}

  /**
   * Makes every referenced package present under `applicationsDir` (reusing earlier deployments) and returns the
   * AZ_BATCH_APP_PACKAGE_* variables for them. Throws ApplicationPackageError naming the first package that fails.
   */
  async deploy(applicationsDir: string, references: readonly PackageReference[]): Promise<Record<string, string>> {
    const variables: Record<string, string> = {};
    for (const reference of references) {
      const found = this.store.resolve(reference.applicationId, reference.version);
      if (!found) {
        const reason =
          reference.version === undefined
            ? `application ${reference.applicationId} does not exist or has no default version`
            : `application ${reference.applicationId} version ${reference.version} does not exist`;
        throw new ApplicationPackageError(applicationPackageFailure(reference.applicationId, reference.version, reason));
      }
      const folder = path.join(applicationsDir, `${found.applicationId}${found.version}`);
      try {
        await this.ensure(found.zipPath, folder);
      } catch (error) {
        const reason = `extracting ${found.applicationId} ${found.version} failed: ${(error as Error).message}`;
        throw new ApplicationPackageError(applicationPackageFailure(reference.applicationId, found.version, reason));
      }
      for (const name of appPackageVariableNames(reference, found.version)) variables[name] = folder;
    }
    return variables;
  }

  private ensure(zipPath: string, folder: string): Promise<void> {
    if (fs.existsSync(folder)) return Promise.resolve();
    let pending = this.inFlight.get(folder);
    if (!pending) {
      pending = this.extractOnce(zipPath, folder).finally(() => this.inFlight.delete(folder));
      this.inFlight.set(folder, pending);
    }
    return pending;
  }

  /** Extracts beside the target and renames, so a half-extracted folder is never taken for a deployed one. */
  private async extractOnce(zipPath: string, folder: string): Promise<void> {
    const temporary = `${folder}.deploying-${randomBytes(4).toString("hex")}`;
    try {
      await extract(zipPath, temporary);
      await fs.promises.rename(temporary, folder);
      this.logger.info(`deployed application package ${path.basename(zipPath)} to ${folder}`);
    } finally {
      await fs.promises.rm(temporary, { recursive: true, force: true });
    }
  }
}
