// Why: the small part of @azure/identity the runtime uses, loaded on demand so shared-key and local workloads never need it.

/** core-auth's TokenCredential shape (what @azure/identity credentials and @azure/storage-blob both speak). */
export interface AccessTokenLike {
  token: string;
  expiresOnTimestamp: number;
}

export interface TokenCredentialLike {
  getToken(scopes: string | string[], options?: unknown): Promise<AccessTokenLike | null>;
}

interface IdentityModule {
  DefaultAzureCredential: new (options?: { managedIdentityClientId?: string }) => TokenCredentialLike;
  ManagedIdentityCredential: new (options: { clientId: string }) => TokenCredentialLike;
}

async function loadIdentityModule(): Promise<IdentityModule> {
  try {
    return (await import("@azure/identity")) as unknown as IdentityModule;
  } catch (error) {
    throw new Error(
      `Microsoft Entra ID authentication needs the @azure/identity package (a dependency of @batch-manager/runtime): ${(error as Error).message}`,
    );
  }
}

/**
 * On a Batch node (AZ_BATCH_NODE_ID set) with a client id: the pool's user-assigned managed identity.
 * Elsewhere: DefaultAzureCredential (environment, workload identity, Azure CLI/azd/PowerShell, VS Code sign-in, …).
 */
export async function createTokenCredential(managedIdentityClientId: string | undefined, onNode: boolean): Promise<TokenCredentialLike> {
  const identity = await loadIdentityModule();
  if (onNode && managedIdentityClientId) return new identity.ManagedIdentityCredential({ clientId: managedIdentityClientId });
  return new identity.DefaultAzureCredential(managedIdentityClientId ? { managedIdentityClientId } : undefined);
}
