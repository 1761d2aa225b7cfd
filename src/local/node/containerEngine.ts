// Why: container pools and tasks need a Docker-compatible engine; this finds one (docker or podman CLI that reaches its engine) and says so when there is none.
import { spawnSync } from "node:child_process";

export interface ContainerEngine {
  /** the CLI to run: "docker" or "podman" */
  command: "docker" | "podman";
  /** the engine's server version, as `info` reported it */
  version: string;
}

/** Finds a reachable engine now; undefined when there is none. */
export type EngineProbe = () => ContainerEngine | undefined;

/** how long one `info` may take before the engine counts as unreachable */
const PROBE_TIMEOUT_MS = 3000;
/** how long an answer is reused (an engine started or stopped meanwhile is noticed after this) */
const CACHE_MS = 30_000;

/** What is missing, for error messages and failureInfo: the same words wherever containers are refused. */
export const NO_ENGINE_REASON = "No Docker or Podman engine is reachable on this machine (`docker info` and `podman info` both failed)";

/** Asks each CLI for its engine's version; a missing CLI, an unreachable engine or a slow answer all mean "no engine". */
export function probeContainerEngine(env: NodeJS.ProcessEnv = process.env): ContainerEngine | undefined {
  for (const command of ["docker", "podman"] as const) {
    const result = spawnSync(command, ["info", "--format", "{{.ServerVersion}}"], {
      env,
      timeout: PROBE_TIMEOUT_MS,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const version = typeof result.stdout === "string" ? result.stdout.trim() : "";
    if (result.status === 0 && version !== "" && !/^<no value>$/.test(version)) return { command, version };
  }
  return undefined;
}

let probe: EngineProbe = probeContainerEngine;
let cached: { at: number; engine: ContainerEngine | undefined } | undefined;

/** The engine to use, probed at most once per CACHE_MS (a probe takes a few ms when no engine runs). */
export function containerEngine(now = Date.now()): ContainerEngine | undefined {
  if (!cached || now - cached.at > CACHE_MS) cached = { at: now, engine: probe() };
  return cached.engine;
}

/** Replaces the probe (tests); without an argument the real probe is used again. The cache is emptied either way. */
export function setContainerEngineProbe(replacement?: EngineProbe): void {
  probe = replacement ?? probeContainerEngine;
  cached = undefined;
}
