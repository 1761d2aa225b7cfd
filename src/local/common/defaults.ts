// Why: the documented, well-known local account (like Azurite's devstoreaccount1): not a secret, only for the local service.

export const LOCAL_ACCOUNT_NAME = "localbatch";
/** base64 of "local-batch-well-known-development-account-key-not-a-secret-0001" */
export const LOCAL_ACCOUNT_KEY = "bG9jYWwtYmF0Y2gtd2VsbC1rbm93bi1kZXZlbG9wbWVudC1hY2NvdW50LWtleS1ub3QtYS1zZWNyZXQtMDAwMQ==";
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 8510;
/** how many nodes all local pools together may have (the local "quota") */
export const DEFAULT_MAX_NODES = 8;

/** Azurite's documented development account (see the Azurite README); the local service's default blob storage. */
export const AZURITE_ACCOUNT_NAME = "devstoreaccount1";
export const AZURITE_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** A Linux VM configuration for local pools: the local service accepts and echoes it (tasks run on this machine). */
export const LOCAL_POOL_VM_CONFIGURATION = {
  imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts" },
  nodeAgentSKUId: "batch.node.ubuntu 22.04",
};
