// Why: the engine command a container task becomes (a pure function of the task), where an attempt runs (host, container, or nowhere and why), and which OS account it runs as.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { containerEngine, setContainerEngineProbe } from "../../../src/local/node/containerEngine";
import { containerDecision, containerRunArgv, engineClientEnvironment, type ContainerRunInput } from "../../../src/local/node/containerLaunch";
import { TASK_USER_ENV, runAsFor, unprivilegedAccount } from "../../../src/local/node/taskAccount";
import type { NodeRecord, Wire } from "../../../src/local/store/model";
import { harness, launch, never, readyNode, tempDir, type Harness } from "./helpers";

const ROOT_DIR = "/data/nodes/p/tvm-1";
const WD = `${ROOT_DIR}/workitems/j/job-1/t/wd`;

const input = (extra: Partial<ContainerRunInput> = {}): ContainerRunInput => ({
  engine: "docker",
  settings: { imageName: "python:3.12-slim" },
  runOptions: [],
  commandArgv: ["python3", "-c", "print('hi')"],
  nodeRootDir: ROOT_DIR,
  workingDir: WD,
  envNames: ["AZ_BATCH_TASK_ID", "PATH", "SECRET"],
  containerName: "batch-p-tvm-1-j-t-0-abc123",
  ...extra,
});

describe("container run command", () => {
  it("mounts the node root at its own path, works in the task working directory, passes variables by name only", () => {
    assert.deepEqual(containerRunArgv(input()), [
      "docker",
      "run",
      "--rm",
      "--name",
      "batch-p-tvm-1-j-t-0-abc123",
      "--network",
      "host",
      "--volume",
      `${ROOT_DIR}:${ROOT_DIR}`,
      "--workdir",
      WD,
      "--env",
      "AZ_BATCH_TASK_ID",
      "--env",
      "SECRET",
      "python:3.12-slim",
      "python3",
      "-c",
      "print('hi')",
    ]);
  });

  it("containerImageDefault keeps the image's working directory; run options, --user and podman", () => {
    const argv = containerRunArgv(
      input({
        engine: "podman",
        settings: { imageName: "alpine", workingDirectory: "containerImageDefault" },
        runOptions: ["--network=none", "--memory", "1g"],
        runAs: { uid: 65534, gid: 65534 },
      }),
    );
    assert.equal(argv[0], "podman");
    assert.ok(!argv.includes("--workdir"));
    assert.ok(!argv.includes("host"), "the task's own --network wins");
    assert.deepEqual(argv.slice(argv.indexOf("--user"), argv.indexOf("--user") + 2), ["--user", "65534:65534"]);
    assert.deepEqual(argv.slice(-7), ["--network=none", "--memory", "1g", "alpine", "python3", "-c", "print('hi')"]);
  });

  it("the engine's CLI gets the task variables plus what it needs to reach its engine", () => {
    const env = engineClientEnvironment({ AZ_BATCH_TASK_ID: "t" }, { DOCKER_HOST: "unix:///run/user/1000/docker.sock", HOME: "/root", SECRET: "x" });
    assert.deepEqual(env, { AZ_BATCH_TASK_ID: "t", DOCKER_HOST: "unix:///run/user/1000/docker.sock" });
  });
});

describe("where an attempt runs", () => {
  const containerPool: Wire = { id: "cp", virtualMachineConfiguration: { containerConfiguration: { type: "dockerCompatible" } } };
  const plainPool: Wire = { id: "pp", virtualMachineConfiguration: {} };
  const base = { kind: "task" as const, poolId: "p", nodeId: "tvm-1", jobId: "j", taskId: "t", retryCount: 0 };
  const engine = { command: "docker" as const, version: "27.0.0" };

  it("no containerSettings: on the host", () => {
    assert.deepEqual(
      containerDecision({ ...base, pool: containerPool, spec: { commandLine: "x" } }, () => engine),
      { kind: "host" },
    );
  });

  it("containerSettings on a pool without containerConfiguration: ContainerPoolNotSupported (as Azure answers)", () => {
    const decision = containerDecision({ ...base, pool: plainPool, spec: { containerSettings: { imageName: "alpine" } } }, () => engine);
    assert.equal("failureInfo" in decision && decision.failureInfo.code, "ContainerPoolNotSupported");
  });

  it("a container pool whose engine went away: the attempt fails naming the missing engine", () => {
    const decision = containerDecision({ ...base, pool: containerPool, spec: { containerSettings: { imageName: "alpine" } } }, () => undefined);
    assert.ok("failureInfo" in decision);
    assert.equal(decision.failureInfo.code, "ContainerEngineNotAvailable");
    assert.match(decision.failureInfo.details![0].value, /No Docker or Podman engine/);
  });

  it("a container pool with an engine: in the container", () => {
    const decision = containerDecision({ ...base, pool: containerPool, spec: { containerSettings: { imageName: "alpine" } } }, () => engine);
    assert.deepEqual(decision, { kind: "container", engine, settings: { imageName: "alpine" } });
  });
});

describe("engine detection is injectable and cached", () => {
  afterEach(() => setContainerEngineProbe());

  it("asks the probe once per cache period", () => {
    let calls = 0;
    setContainerEngineProbe(() => {
      calls++;
      return { command: "podman", version: "5.0.0" };
    });
    assert.equal(containerEngine(1000)?.command, "podman");
    assert.equal(containerEngine(2000)?.command, "podman");
    assert.equal(calls, 1);
    containerEngine(1000 + 60_000);
    assert.equal(calls, 2);
  });
});

describe("the OS account of a task", () => {
  it("only a root service changes user; admin keeps root; linuxUserConfiguration ids win; the env can turn it off", () => {
    const nobody = unprivilegedAccount();
    assert.equal(runAsFor({ admin: false }, {}, 1000), undefined);
    assert.equal(runAsFor({ admin: true }, {}, 0), undefined);
    assert.deepEqual(runAsFor({ admin: false }, {}, 0), nobody);
    assert.deepEqual(runAsFor({ admin: false, account: { name: "u", linuxUserConfiguration: { uid: 7, gid: 8 } } }, {}, 0), { uid: 7, gid: 8, name: "u" });
    assert.equal(runAsFor({ admin: false }, { [TASK_USER_ENV]: "service" }, 0), undefined);
  });

  it("reads nobody from the passwd file, 65534 where it is not listed", () => {
    const dir = tempDir("passwd");
    const file = path.join(dir, "passwd");
    fs.writeFileSync(file, "root:x:0:0:root:/root:/bin/sh\nnobody:x:99:98:nobody:/:/sbin/nologin\n");
    assert.deepEqual(unprivilegedAccount(file), { name: "nobody", uid: 99, gid: 98 });
    fs.writeFileSync(file, "root:x:0:0:root:/root:/bin/sh\n");
    assert.deepEqual(unprivilegedAccount(file), { name: "nobody", uid: 65534, gid: 65534 });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("a container task on a real agent", () => {
  let h: Harness;
  let node: NodeRecord;
  let pool: Wire;

  before(async () => {
    h = harness();
    node = await readyNode(h, "plainpool");
    pool = h.state.getPool("plainpool")!.wire;
    setContainerEngineProbe(() => ({ command: "docker", version: "injected" }));
  });
  after(async () => {
    setContainerEngineProbe();
    await h.close();
  });

  it("on a pool without containerConfiguration it completes with ContainerPoolNotSupported and never runs", async () => {
    const spec = { id: "boxed", commandLine: "/bin/true", containerSettings: { imageName: "alpine" } };
    const result = await h.agent.run(launch(node, pool, { kind: "task", jobId: "j", taskId: "boxed", job: { id: "j" }, spec }), never);
    assert.equal(result.failureKind, "preProcessing");
    assert.equal(result.failureInfo?.code, "ContainerPoolNotSupported");
    assert.equal(result.exitCode, undefined);
    assert.equal(result.pid, undefined);
  });
});
