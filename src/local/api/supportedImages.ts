// Why: the images Account_ListSupportedImages answers: a plausible Azure list that includes the images the docs, the samples and local pools use.
import { LOCAL_POOL_VM_CONFIGURATION } from "../common/defaults";

export interface SupportedImage {
  nodeAgentSKUId: string;
  imageReference: { publisher: string; offer: string; sku: string; version: string };
  osType: "linux" | "windows";
  capabilities?: string[];
  verificationType: "verified" | "unverified";
}

const linux = (publisher: string, offer: string, sku: string, nodeAgentSKUId: string, capabilities?: string[]): SupportedImage => ({
  nodeAgentSKUId,
  imageReference: { publisher, offer, sku, version: "latest" },
  osType: "linux",
  ...(capabilities ? { capabilities } : {}),
  verificationType: "verified",
});

const windows = (sku: string, capabilities?: string[]): SupportedImage => ({
  nodeAgentSKUId: "batch.node.windows amd64",
  imageReference: { publisher: "microsoftwindowsserver", offer: "windowsserver", sku, version: "latest" },
  osType: "windows",
  ...(capabilities ? { capabilities } : {}),
  verificationType: "verified",
});

const local = LOCAL_POOL_VM_CONFIGURATION;

/** In the service's order (by publisher, offer, sku); tasks on local nodes run on this machine whichever is chosen. */
export const SUPPORTED_IMAGES: readonly SupportedImage[] = [
  linux("canonical", "0001-com-ubuntu-server-focal", "20_04-lts", "batch.node.ubuntu 20.04"),
  linux(local.imageReference.publisher, local.imageReference.offer, local.imageReference.sku, local.nodeAgentSKUId),
  linux("debian", "debian-11", "11", "batch.node.debian 11"),
  linux("microsoft-azure-batch", "ubuntu-server-container", "20-04-lts", "batch.node.ubuntu 20.04", ["DockerCompatible", "NvidiaTeslaDriverInstalled"]),
  windows("2019-datacenter-core"),
  windows("2019-datacenter-with-containers", ["DockerCompatible"]),
  windows("2022-datacenter"),
  windows("2022-datacenter-core"),
];
