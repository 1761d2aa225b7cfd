// Why: a local node's endpointConfiguration: one inbound endpoint per inbound NAT pool of its pool (`<name>.<index>`), on loopback, with a frontend port of its own from the NAT pool's range.
import type { Wire } from "../store/model";

interface NatPool {
  name: string;
  protocol: string;
  backendPort: number;
  frontendPortRangeStart: number;
  frontendPortRangeEnd: number;
}

interface InboundEndpoint {
  name: string;
  protocol: string;
  publicIPAddress: string;
  publicFQDN: string;
  frontendPort: number;
  backendPort: number;
}

function natPoolsOf(pool: Wire): NatPool[] {
  const network = pool.networkConfiguration as { endpointConfiguration?: { inboundNATPools?: NatPool[] } } | undefined;
  return network?.endpointConfiguration?.inboundNATPools ?? [];
}

/**
 * The node's inbound endpoints: for each NAT pool, the lowest frontend port of its range no other node of the pool has
 * (a NAT pool whose range is used up gives the node no endpoint). Undefined when the pool has no NAT pools.
 */
export function nodeEndpointConfiguration(pool: Wire, otherNodes: Iterable<Wire>): { inboundEndpoints: InboundEndpoint[] } | undefined {
  const natPools = natPoolsOf(pool);
  if (natPools.length === 0) return undefined;
  const taken = new Set<number>();
  for (const node of otherNodes) {
    const endpoints = (node.endpointConfiguration as { inboundEndpoints?: InboundEndpoint[] } | undefined)?.inboundEndpoints ?? [];
    for (const endpoint of endpoints) taken.add(endpoint.frontendPort);
  }
  const inboundEndpoints: InboundEndpoint[] = [];
  for (const natPool of natPools) {
    for (let port = natPool.frontendPortRangeStart; port <= natPool.frontendPortRangeEnd; port++) {
      if (taken.has(port)) continue;
      inboundEndpoints.push({
        // as Azure names them: the NAT pool's name and the node's index in it (here its port's offset in the range)
        name: `${natPool.name}.${port - natPool.frontendPortRangeStart}`,
        protocol: natPool.protocol,
        publicIPAddress: "127.0.0.1",
        publicFQDN: "localhost",
        frontendPort: port,
        backendPort: natPool.backendPort,
      });
      break;
    }
  }
  return { inboundEndpoints };
}
