// Why: Pool_ListUsageMetrics and the pool lifetime figures come from node time and host figures, sampled here while nodes exist.
import * as fs from "node:fs";
import * as os from "node:os";
import { invalidQueryParameter } from "../protocol/batchError";
import type { Reply, RequestContext } from "../server/router";
import type { BatchState } from "../store/batchState";
import { addUsage, ensureTotals, forgetUsageBefore, poolTotals, poolTotalsChanged, usageIntervals } from "../store/lifetimeTotals";
import { GIB } from "./jobStatistics";
import { listReply } from "./listing";

/** The service aggregates usage in 30-minute intervals. */
export const USAGE_INTERVAL_MS = 30 * 60_000;
/** how long intervals are kept */
const USAGE_KEPT_MS = 31 * 24 * 3_600_000;
const SAMPLE_EVERY_MS = 2000;

/** Cores of a VM size as Azure names them: Standard_D2s_v3 → 2, Standard_E16-4s_v3 (constrained) → 4; 1 where not told. */
export function coresOf(vmSize: unknown): number {
  const match = /^(?:standard|basic)_[a-z]+?(\d+)(?:-(\d+))?/i.exec(String(vmSize ?? ""));
  const cores = Number(match?.[2] ?? match?.[1]);
  return Number.isInteger(cores) && cores > 0 ? cores : 1;
}

/** Whole-host counters and levels at one moment. */
interface HostFigures {
  cpuBusy: number;
  cpuTotal: number;
  memoryGiB: number;
  diskGiB: number;
  diskReads: number;
  diskWrites: number;
  diskReadBytes: number;
  diskWriteBytes: number;
  networkReadBytes: number;
  networkWriteBytes: number;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function cpuTimes(): { busy: number; total: number } {
  const line = readText("/proc/stat").split("\n")[0];
  if (line.startsWith("cpu ")) {
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return { busy: total - values[3] - (values[4] ?? 0), total };
  }
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busy, total };
}

function memoryUsedGiB(): number {
  const available = /MemAvailable:\s+(\d+)/.exec(readText("/proc/meminfo"));
  const free = available ? Number(available[1]) * 1024 : os.freemem();
  return (os.totalmem() - free) / GIB;
}

function diskUsedGiB(dataDir: string): number {
  try {
    const stats = fs.statfsSync(dataDir);
    return ((stats.blocks - stats.bfree) * stats.bsize) / GIB;
  } catch {
    return 0;
  }
}

/** Whole disks (not partitions, loop or device-mapper devices, which would count the same I/O twice). */
function diskCounters(): [number, number, number, number] {
  const totals: [number, number, number, number] = [0, 0, 0, 0];
  let disks: Set<string>;
  try {
    disks = new Set(fs.readdirSync("/sys/block").filter((name) => !/^(loop|ram|dm-|md|zram)/.test(name)));
  } catch {
    return totals;
  }
  for (const line of readText("/proc/diskstats").split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || !disks.has(fields[2])) continue;
    totals[0] += Number(fields[3]);
    totals[1] += Number(fields[7]);
    totals[2] += Number(fields[5]) * 512;
    totals[3] += Number(fields[9]) * 512;
  }
  return totals;
}

function networkCounters(): [number, number] {
  const totals: [number, number] = [0, 0];
  for (const line of readText("/proc/net/dev").split("\n").slice(2)) {
    const [name, rest] = line.split(":");
    if (!rest || name.trim() === "lo") continue;
    const fields = rest.trim().split(/\s+/).map(Number);
    totals[0] += fields[0] || 0;
    totals[1] += fields[8] || 0;
  }
  return totals;
}

function readHost(dataDir: string): HostFigures {
  const cpu = cpuTimes();
  const [diskReads, diskWrites, diskReadBytes, diskWriteBytes] = diskCounters();
  const [networkReadBytes, networkWriteBytes] = networkCounters();
  return {
    cpuBusy: cpu.busy,
    cpuTotal: cpu.total,
    memoryGiB: memoryUsedGiB(),
    diskGiB: diskUsedGiB(dataDir),
    diskReads,
    diskWrites,
    diskReadBytes,
    diskWriteBytes,
    networkReadBytes,
    networkWriteBytes,
  };
}

const grew = (now: number, before: number) => Math.max(0, now - before);

/**
 * Every few seconds: core time of each pool's nodes (into the pool's 30-minute usage interval, and dedicated nodes' into
 * the lifetime usageStats), and, while any node exists, the host's CPU, memory, disk and network figures (the local
 * nodes share this machine) into the lifetime resourceStats.
 */
export class UsageSampler {
  private timer: NodeJS.Timeout | undefined;
  private last: { at: number; host: HostFigures } | undefined;

  constructor(
    private readonly state: BatchState,
    private readonly dataDir: string,
    private readonly everyMs = SAMPLE_EVERY_MS,
  ) {}

  start(): void {
    ensureTotals(this.state);
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
  }

  /** Takes a last sample (the store writes what is pending when it closes). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
  }

  sample(): void {
    const at = Date.now();
    const host = readHost(this.dataDir);
    const previous = this.last;
    this.last = { at, host };
    if (!previous) return;
    const elapsed = at - previous.at;
    if (elapsed <= 0) return;
    let anyNodes = false;
    let dedicatedCoreMs = 0;
    for (const pool of this.state.pools.allValues()) {
      let nodes = 0;
      let dedicated = 0;
      for (const node of this.state.nodesOf(pool.wire.id)) {
        nodes++;
        if (node.wire.isDedicated !== false) dedicated++;
      }
      if (nodes === 0) continue;
      anyNodes = true;
      const cores = coresOf(pool.wire.vmSize);
      dedicatedCoreMs += dedicated * cores * elapsed;
      this.addPoolUsage(pool.wire.id, String(pool.wire.vmSize ?? ""), nodes * cores, previous.at, at);
    }
    if (!anyNodes) return;
    const totals = poolTotals(this.state);
    const before = previous.host;
    totals.dedicatedCoreMs += dedicatedCoreMs;
    const cpuTotal = host.cpuTotal - before.cpuTotal;
    const cpuPercent = cpuTotal > 0 ? Math.min(100, Math.max(0, (100 * (host.cpuBusy - before.cpuBusy)) / cpuTotal)) : 0;
    totals.sampledMs += elapsed;
    totals.cpuPercentMs += cpuPercent * elapsed;
    totals.memoryGiBMs += host.memoryGiB * elapsed;
    totals.peakMemoryGiB = Math.max(totals.peakMemoryGiB, host.memoryGiB);
    totals.diskGiBMs += host.diskGiB * elapsed;
    totals.peakDiskGiB = Math.max(totals.peakDiskGiB, host.diskGiB);
    totals.diskReads += grew(host.diskReads, before.diskReads);
    totals.diskWrites += grew(host.diskWrites, before.diskWrites);
    totals.diskReadBytes += grew(host.diskReadBytes, before.diskReadBytes);
    totals.diskWriteBytes += grew(host.diskWriteBytes, before.diskWriteBytes);
    totals.networkReadBytes += grew(host.networkReadBytes, before.networkReadBytes);
    totals.networkWriteBytes += grew(host.networkWriteBytes, before.networkWriteBytes);
    poolTotalsChanged(this.state);
    forgetUsageBefore(this.state, at - USAGE_KEPT_MS);
  }

  /** Splits [from, to) at interval boundaries, so each interval gets the core time that fell into it. */
  private addPoolUsage(poolId: string, vmSize: string, cores: number, from: number, to: number): void {
    for (let start = from; start < to; ) {
      const intervalStart = Math.floor(start / USAGE_INTERVAL_MS) * USAGE_INTERVAL_MS;
      const end = Math.min(to, intervalStart + USAGE_INTERVAL_MS);
      addUsage(this.state, intervalStart, poolId, vmSize, cores * (end - start));
      start = end;
    }
  }
}

function timeParameter(context: RequestContext, name: string): number | undefined {
  const text = context.query.get(name);
  if (text === undefined) return undefined;
  const value = Date.parse(text);
  if (Number.isNaN(value)) throw invalidQueryParameter(name, text, `${name} must be a date and time such as 2024-01-01T00:00:00Z.`);
  return value;
}

/**
 * Pool_ListUsageMetrics: one item per pool per 30-minute interval that overlaps [starttime, endtime]. Both default to
 * the last interval available; locally that is the current one, whose figures grow until it ends (the service's
 * figures appear after a roll-up delay of hours).
 */
export function listUsageMetrics(state: BatchState, context: RequestContext): Reply {
  const current = Math.floor(Date.now() / USAGE_INTERVAL_MS) * USAGE_INTERVAL_MS;
  const givenFrom = timeParameter(context, "starttime");
  const givenTo = timeParameter(context, "endtime");
  if (givenFrom !== undefined && givenTo !== undefined && givenTo < givenFrom)
    throw invalidQueryParameter("endtime", context.query.get("endtime") ?? "", "endtime must not be before starttime.");
  const from = givenFrom ?? current;
  const to = givenTo ?? current + USAGE_INTERVAL_MS;
  const items: Record<string, unknown>[] = [];
  for (const interval of usageIntervals(state)) {
    if (interval.startMs >= to || interval.startMs + USAGE_INTERVAL_MS <= from) continue;
    for (const [poolId, [vmSize, coreMs]] of Object.entries(interval.pools)) {
      items.push({
        poolId,
        startTime: new Date(interval.startMs).toISOString(),
        endTime: new Date(interval.startMs + USAGE_INTERVAL_MS).toISOString(),
        vmSize,
        totalCoreHours: coreMs / 3_600_000,
      });
    }
  }
  return listReply(context, items, { present: (item) => item });
}
