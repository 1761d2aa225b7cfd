// Why: checks a pool's networkConfiguration the way the spec describes (NAT pool names, ports, ranges, rules), so what is stored is what Azure would accept.
import { invalidPropertyValue } from "../protocol/batchError";

const RESERVED_BACKEND_PORTS = new Set([22, 3389, 29876, 29877]);
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,75}[A-Za-z0-9_])?$/;

interface NatPool {
  name: string;
  backendPort: number;
  frontendPortRangeStart: number;
  frontendPortRangeEnd: number;
  networkSecurityGroupRules?: unknown[];
}

const inReservedFrontend = (port: number): boolean => port >= 50000 && port <= 55000;

function checkNatPool(natPool: NatPool, at: string): void {
  if (!NAME.test(natPool.name))
    throw invalidPropertyValue(
      `${at}.name`,
      natPool.name,
      "Names contain letters, digits, underscores, periods and hyphens, start with a letter or digit, end with a letter, digit or underscore, and have at most 77 characters.",
    );
  const { backendPort, frontendPortRangeStart: start, frontendPortRangeEnd: end } = natPool;
  if (backendPort < 1 || backendPort > 65535 || RESERVED_BACKEND_PORTS.has(backendPort))
    throw invalidPropertyValue(`${at}.backendPort`, backendPort, "The backend port must be from 1 to 65535 and not 22, 3389, 29876 or 29877 (reserved).");
  for (const [name, port] of [
    ["frontendPortRangeStart", start],
    ["frontendPortRangeEnd", end],
  ] as const) {
    if (port < 1 || port > 65534 || inReservedFrontend(port))
      throw invalidPropertyValue(`${at}.${name}`, port, "Frontend ports must be from 1 to 65534, outside 50000-55000 (reserved by the Batch service).");
  }
  if (start < 50000 && end > 55000) throw invalidPropertyValue(`${at}.frontendPortRangeEnd`, end, "The frontend port range must not include 50000-55000.");
  if (end - start + 1 < 40) throw invalidPropertyValue(`${at}.frontendPortRangeEnd`, end, "Each frontend port range must contain at least 40 ports.");
}

/** Throws 400 InvalidPropertyValue for a networkConfiguration Azure refuses; nothing of it is changed. */
export function checkNetworkConfiguration(body: Record<string, unknown>): void {
  const network = body.networkConfiguration as Record<string, unknown> | undefined;
  if (network === undefined) return;
  const endpoints = network.endpointConfiguration as { inboundNATPools: NatPool[] } | undefined;
  if (endpoints === undefined) return;
  if (body.virtualMachineConfiguration === undefined)
    throw invalidPropertyValue(
      "networkConfiguration.endpointConfiguration",
      "",
      "Pool endpoint configuration is only supported on pools with virtualMachineConfiguration.",
    );
  const natPools = endpoints.inboundNATPools;
  const at = "networkConfiguration.endpointConfiguration.inboundNATPools";
  if (natPools.length > 5) throw invalidPropertyValue(at, natPools.length, "A pool has at most 5 inbound NAT pools.");
  const provision = (network.publicIPAddressConfiguration as { provision?: string } | undefined)?.provision;
  if (provision === "nopublicipaddresses" && natPools.length > 0)
    throw invalidPropertyValue(at, "", "Inbound NAT pools cannot be specified when publicIPAddressConfiguration.provision is noPublicIPAddresses.");
  let rules = 0;
  natPools.forEach((natPool, index) => {
    const here = `${at}[${index}]`;
    checkNatPool(natPool, here);
    rules += natPool.networkSecurityGroupRules?.length ?? 0;
    natPools.slice(0, index).forEach((other) => {
      if (other.name.toLowerCase() === natPool.name.toLowerCase())
        throw invalidPropertyValue(`${here}.name`, natPool.name, "NAT pool names must be unique in a pool.");
      if (other.backendPort === natPool.backendPort)
        throw invalidPropertyValue(`${here}.backendPort`, natPool.backendPort, "Backend ports must be unique in a pool.");
      if (natPool.frontendPortRangeStart <= other.frontendPortRangeEnd && other.frontendPortRangeStart <= natPool.frontendPortRangeEnd)
        throw invalidPropertyValue(
          `${here}.frontendPortRangeStart`,
          natPool.frontendPortRangeStart,
          `The frontend port range overlaps that of '${other.name}'.`,
        );
    });
  });
  if (rules > 25) throw invalidPropertyValue(at, rules, "A pool has at most 25 network security group rules across its endpoints.");
}
