// Why: adapts the LocalServiceController to the explorer's LocalServiceProbe, with one Batch client per running service.

import type { BatchClientLike } from "../common/batchClientLike";
import type { LocalServiceProbe, LocalServiceStatus } from "./accountNodes";
import type { LocalConnection, LocalServiceController } from "../../core/localService/localServiceController";

/** `dataDir`: the folder a start would use (the setting, else the CLI's default); a running service's own folder wins. */
export function controllerProbe(
  controller: LocalServiceController,
  createClient: (connection: LocalConnection) => BatchClientLike,
  dataDir?: () => string,
): LocalServiceProbe {
  let cached: { connection: LocalConnection; client: BatchClientLike } | undefined;
  const current = (): LocalServiceStatus => {
    const connection = controller.connection;
    switch (controller.state) {
      case "starting":
        return { state: "starting" };
      case "failed":
        return { state: "failed", message: controller.failureMessage ?? "unknown error" };
      case "running":
        if (connection) {
          if (cached?.connection !== connection) cached = { connection, client: createClient(connection) };
          return { state: "running", endpoint: connection.batchUrl, accountName: connection.accountName, client: cached.client };
        }
        return { state: "stopped" };
      default:
        return { state: "stopped" };
    }
  };
  return { getStatus: async () => current(), current, dataDir: () => controller.connection?.dataDir ?? dataDir?.() ?? "" };
}
