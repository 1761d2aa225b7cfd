// Why: Batch uploads output files only into existing containers; the job manager creates the ones its tasks write to before adding them.
import type { Logger } from "../logging/logger";
import type { OutputFileSpecification } from "./fileSpecifications";
import type { StorageAccess } from "./storageAccess";
import { withSpan } from "../tracing/tracing";

/**
 * Creates each distinct output container if it is missing. A container the runtime has no credential for (e.g. only a
 * pool identity may write it) is left alone with a warning: it must then exist already.
 */
export async function ensureOutputContainers(outputs: readonly OutputFileSpecification[], storage: StorageAccess, logger: Logger): Promise<void> {
  const distinct = new Map(outputs.map((output) => [`${output.storageAccountName}/${output.containerName}`, output]));
  if (distinct.size === 0) return;
  await withSpan("batch.storage.ensure_output_containers", { "batch.storage.container.count": distinct.size }, () =>
    ensureEach([...distinct.values()], storage, logger),
  );
}

async function ensureEach(outputs: readonly OutputFileSpecification[], storage: StorageAccess, logger: Logger): Promise<void> {
  await Promise.all(
    outputs.map(async ({ storageAccountName, containerName }) => {
      try {
        const created = await storage.containerClient(storageAccountName, containerName).createIfNotExists();
        if (created.succeeded) logger.info(`Created output container ${storageAccountName}/${containerName}`);
      } catch (error) {
        logger.warning(
          `Could not make sure output container ${storageAccountName}/${containerName} exists (it must exist before tasks upload): ${(error as Error).message}`,
        );
      }
    }),
  );
}
