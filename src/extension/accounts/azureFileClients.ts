// Why: the `batch:` authority of an Azure (Entra ID) account's files and the clients the explorer made for those accounts, so task and node files open for Azure accounts as they do for shared-key ones.
import type { BatchClientLike } from "../common/batchClientLike";
import type { AzureBatchAccountInfo } from "./azureArm";

/** `<account name>@<endpoint host>`, the shape shared-key authorities have (`batch://localacct@localacct.westeurope.batch.azure.com/jobs/…`). */
export function azureAuthority(account: Pick<AzureBatchAccountInfo, "name" | "accountEndpoint">): string {
  const url = /^https?:\/\//.test(account.accountEndpoint) ? account.accountEndpoint : `https://${account.accountEndpoint}`;
  return `${account.name}@${new URL(url).host}`.toLowerCase();
}

/**
 * The data-plane clients of the Azure accounts the explorer has listed (their tokens come from the signed-in session),
 * by authority; an account that has not been listed since the window opened has none (its files say so until it is).
 */
export class AzureFileClients {
  private readonly clients = new Map<string, BatchClientLike>();

  remember(authority: string, client: BatchClientLike): void {
    this.clients.set(authority.toLowerCase(), client);
  }

  clientFor(authority: string): BatchClientLike | undefined {
    return this.clients.get(authority.toLowerCase());
  }
}
