// Why: OpenTelemetry tracing against the real local service, Azurite, real processes and a local OTLP/HTTP receiver: one trace from submit through the job manager, every task and the FinalizeTask, with parent/child links, log lines carrying its ids, and nothing when it is off.
import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { ExitCode, readTaskFile } from "../../src/runtime";
import { REPO_ROOT, startLocalService, waitFor, type LocalServiceHandle } from "../support/localService";
import { localWorkloadSettings } from "./support/localWorkloadEnvironment";
import { OtlpReceiver, type ReceivedSpan } from "./support/otlpReceiver";
import { cleanEnvironment, runNode } from "./support/workloadProcess";
import { deployFixtureWorkload } from "./support/workloadProject";

const POOL_ID = "tracing-pool";
const APPLICATION = { BATCH_APPLICATION_ID: "progress-workload", BATCH_APPLICATION_VERSION: "1.0.0" };
const SECRET = "tracing-callback-secret-0123456789abcdef";
const COLLECTOR_TOKEN = "Bearer collector-token-not-for-nodes";

describe("OpenTelemetry tracing (local service, Azurite, real processes, a local OTLP receiver)", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;
  let mainJs: string;
  const receiver = new OtlpReceiver();
  let endpoint: string;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    client = service.client();
    const fixture = path.join(REPO_ROOT, "test", "runtime", "fixtures", "progress-workload");
    mainJs = await deployFixtureWorkload(service, { fixture, application: APPLICATION, poolId: POOL_ID, taskSlotsPerNode: 3 });
    endpoint = await receiver.start();
  });
  after(async () => {
    await receiver.stop();
    await service.stop();
  });

  const environment = (extra: Record<string, string>) =>
    cleanEnvironment(localWorkloadSettings(service.info, { ...APPLICATION, BATCH_POOL_ID: POOL_ID, BATCH_CALLBACK_SECRET: SECRET, ...extra }));

  async function submitAndComplete(extra: Record<string, string>, taskCount: number): Promise<string> {
    const submitted = await runNode(mainJs, ["submit", "--args", JSON.stringify({ taskCount, stepMs: 50 })], environment(extra));
    assert.equal(submitted.code, 0, `submit failed:\n${submitted.stderr}`);
    const { jobId } = JSON.parse(submitted.stdout.trim().split("\n").pop()!) as { jobId: string };
    await waitFor(async () => ((await client.job.get(jobId)).state === "completed" ? true : undefined), `job ${jobId} to complete`, 120_000, 250);
    return jobId;
  }

  it("one trace covers submit, the job manager, every task and the FinalizeTask, each process a child of the span that created its task", async () => {
    const jobId = await submitAndComplete(
      { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: "tracing-test", OTEL_EXPORTER_OTLP_HEADERS: `authorization=${COLLECTOR_TOKEN}` },
      2,
    );
    const roleSpan = (role: string, spans: ReceivedSpan[]) => spans.filter((span) => span.name === `batch.${role}`);
    // every process exports before it exits, and the job completes only after its last task did
    const spans = await waitFor(
      () => {
        const mine = receiver.spans.filter((span) => span.attributes["batch.job.id"] === jobId || span.resource["batch.job.id"] === jobId);
        return roleSpan("finalize", mine).length === 1 && roleSpan("task", mine).length === 2 && roleSpan("finalize-guard", mine).length === 1
          ? mine
          : undefined;
      },
      "the spans of every role",
      30_000,
      200,
    );
    const traceIds = new Set(spans.map((span) => span.traceId));
    assert.equal(traceIds.size, 1, `one trace id for the whole job (got ${[...traceIds].join(", ")})`);
    const [traceId] = traceIds;
    const trace = receiver.spans.filter((span) => span.traceId === traceId);
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const parentOf = (span: ReceivedSpan) => (span.parentSpanId ? byId.get(span.parentSpanId) : undefined);
    const one = (name: string) => {
      const found = trace.filter((span) => span.name === name);
      assert.equal(found.length, 1, `one ${name} span (got ${found.length})`);
      return found[0]!;
    };

    const submit = one("batch.submit");
    assert.ok(!submit.parentSpanId, "submit starts the trace");
    assert.equal(submit.attributes["batch.job.id"], jobId);
    assert.equal(submit.resource["service.name"], "tracing-test");
    assert.equal(parentOf(one("batch.storage.create_container")), submit, "the runtime container's creation is a child of submit");
    assert.equal(parentOf(one("batch.job-manager")), submit, "the job manager continues submit's span");
    assert.equal(parentOf(one("batch.finalize-guard")), submit, "so does the FinalizeTask guard");
    const submitTasks = one("batch.job_manager.submit_tasks");
    assert.equal(parentOf(submitTasks), one("batch.job-manager"));
    assert.equal(parentOf(one("batch.job_manager.create_job")), one("batch.job-manager"));
    const tasks = trace.filter((span) => span.name === "batch.task");
    assert.deepEqual(tasks.map((span) => span.resource["batch.task.id"]).sort(), ["1", "2"]);
    for (const task of tasks) {
      assert.equal(parentOf(task), submitTasks, "every task continues the span that submitted it");
      assert.equal(task.attributes["batch.entry_point"], "StepTask");
      const phases = trace.filter((span) => span.parentSpanId === task.spanId).map((span) => span.name);
      assert.deepEqual(phases.sort(), ["batch.task.build", "batch.task.read_parents", "batch.task.run"], "the task's phases are its children");
    }
    const addFinalize = one("batch.add_finalize_task");
    assert.equal(parentOf(addFinalize), one("batch.job-manager"), "the job manager added the FinalizeTask");
    const finalize = one("batch.finalize");
    assert.equal(parentOf(finalize), addFinalize, "the FinalizeTask continues the span that added it");
    for (const phase of ["batch.finalize.wait_for_job_manager", "batch.finalize.summarize", "batch.finalize.on_job_completed"])
      assert.equal(parentOf(one(phase)), finalize, phase);
    for (const span of trace) if (span !== submit) assert.ok(parentOf(span), `${span.name} has its parent in the trace`);

    // log correlation: a task's log lines carry the trace id and the id of the span they were written in
    const stderr = (await readTaskFile(client, jobId, "1", "stderr.txt")) ?? "";
    const running = stderr.split("\n").find((line) => line.includes("Running StepTask"));
    assert.match(running ?? stderr, new RegExp(`\\[job=${jobId} task=1 trace=${traceId} span=[0-9a-f]{16}\\]`));
    const spanId = /span=([0-9a-f]{16})/.exec(running!)![1]!;
    assert.equal(byId.get(spanId)?.name, "batch.task", "the line names the span it was logged in");

    // secrets stay out: not in telemetry, and the collector's headers never reach the tasks
    assert.ok(!receiver.rawBodies.some((body) => body.includes(SECRET)), "the callback secret is in no span");
    const job = await client.job.get(jobId);
    const common = new Map((job.commonEnvironmentSettings ?? []).map((setting) => [setting.name, setting.value]));
    assert.equal(common.get("OTEL_EXPORTER_OTLP_ENDPOINT"), endpoint);
    assert.equal(common.has("OTEL_EXPORTER_OTLP_HEADERS"), false);
    assert.ok(![...common.values()].some((value) => value?.includes("collector-token")));
  });

  it("off unless configured: no TRACEPARENT for tasks, no ids on log lines, nothing exported", async () => {
    const before = receiver.spans.length;
    const jobId = await submitAndComplete({}, 1);
    const manager = await client.task.get(jobId, "job-manager");
    assert.equal(
      manager.environmentSettings?.some((setting) => setting.name === "TRACEPARENT"),
      false,
    );
    const task = await client.task.get(jobId, "1");
    assert.equal(
      task.environmentSettings?.some((setting) => setting.name === "TRACEPARENT"),
      false,
    );
    const stderr = (await readTaskFile(client, jobId, "1", "stderr.txt")) ?? "";
    assert.match(stderr, /Running StepTask/);
    assert.doesNotMatch(stderr, /trace=/);
    assert.equal(receiver.spans.length, before);
  });

  it("a bad OTLP endpoint stops submit before the job exists, naming the variable and the fix", async () => {
    const bad = await runNode(mainJs, ["submit", "--job-id", "tracing-never-1"], environment({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" }));
    assert.equal(bad.code, ExitCode.SettingsError);
    assert.match(bad.stderr, /OTEL_EXPORTER_OTLP_ENDPOINT must be an http or https URL of an OTLP\/HTTP receiver/);
    const credentials = await runNode(
      mainJs,
      ["submit", "--job-id", "tracing-never-2"],
      environment({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://user:pass@collector.example.com/v1/traces" }),
    );
    assert.equal(credentials.code, ExitCode.SettingsError);
    assert.match(credentials.stderr, /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must not carry credentials .*OTEL_EXPORTER_OTLP_HEADERS/);
    assert.ok(!credentials.stderr.includes("pass@"), "the credentials are not echoed");
    for (const jobId of ["tracing-never-1", "tracing-never-2"]) await assert.rejects(client.job.get(jobId), { statusCode: 404 });
  });
});
