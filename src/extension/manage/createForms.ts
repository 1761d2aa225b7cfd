// Why: the Create Pool / Job / Task forms as prompt steps over typed contexts (through the UI seam), each ending in the add parameter it sends.

import type { PromptStep, PromptUi } from "../../core/wizard/wizard";
import { answered } from "../../core/wizard/wizard";
import { checkId, checkWhole, toWhole } from "./formInputs";

/** The images the pool form offers (what the local service and Azure both run). */
export const POOL_IMAGES = [
  {
    label: "Ubuntu 22.04",
    value: {
      imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts", version: "latest" },
      nodeAgentSKUId: "batch.node.ubuntu 22.04",
    },
  },
  {
    label: "Ubuntu 20.04",
    value: {
      imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-focal", sku: "20_04-lts", version: "latest" },
      nodeAgentSKUId: "batch.node.ubuntu 20.04",
    },
  },
] as const;

export const VM_SIZES = ["standard_d2s_v3", "standard_d4s_v3", "standard_f2s_v2", "standard_a1_v2"] as const;

export interface PoolForm {
  id?: string;
  vmSize?: string;
  image?: (typeof POOL_IMAGES)[number]["value"];
  targetDedicatedNodes?: number;
  taskSlotsPerNode?: number;
}

export interface JobForm {
  id?: string;
  /** given (a job created under a pool) or picked from `pools` */
  poolId?: string;
  readonly pools: readonly string[];
}

export interface TaskForm {
  readonly jobId: string;
  id?: string;
  commandLine?: string;
}

const input = (ui: PromptUi, title: string, prompt: string, validate: (value: string) => string | undefined, value?: string) =>
  ui.input({ title, prompt, value, validate }).then((answer) => answered(answer, title).trim());

export const poolFormSteps: readonly PromptStep<PoolForm>[] = [
  {
    shouldPrompt: (c) => c.id === undefined,
    prompt: async (c, ui) => {
      c.id = await input(ui, "Create Pool: id", "The pool's id", (v) => checkId("Pool id", v));
    },
  },
  {
    shouldPrompt: (c) => c.vmSize === undefined,
    prompt: async (c, ui) => {
      const items = VM_SIZES.map((size) => ({ label: size, value: size }));
      c.vmSize = answered(await ui.pick(items, { title: "Create Pool: VM size", placeholder: "The size of every node" }), "VM size");
    },
  },
  {
    shouldPrompt: (c) => c.image === undefined,
    prompt: async (c, ui) => {
      const items = POOL_IMAGES.map((image) => ({ label: image.label, detail: image.value.nodeAgentSKUId, value: image.value }));
      c.image = answered(await ui.pick(items, { title: "Create Pool: image", placeholder: "The operating system of the nodes" }), "image");
    },
  },
  {
    shouldPrompt: (c) => c.targetDedicatedNodes === undefined,
    prompt: async (c, ui) => {
      c.targetDedicatedNodes = toWhole(
        await input(ui, "Create Pool: dedicated nodes", "How many dedicated nodes", (v) => checkWhole("Dedicated nodes", v, 0, 1000), "1"),
      );
    },
  },
  {
    shouldPrompt: (c) => c.taskSlotsPerNode === undefined,
    prompt: async (c, ui) => {
      c.taskSlotsPerNode = toWhole(
        await input(ui, "Create Pool: task slots per node", "How many tasks a node runs at once", (v) => checkWhole("Task slots per node", v, 1, 256), "1"),
      );
    },
  },
];

export const jobFormSteps: readonly PromptStep<JobForm>[] = [
  {
    shouldPrompt: (c) => c.id === undefined,
    prompt: async (c, ui) => {
      c.id = await input(ui, "Create Job: id", "The job's id", (v) => checkId("Job id", v));
    },
  },
  {
    shouldPrompt: (c) => c.poolId === undefined,
    prompt: async (c, ui) => {
      if (c.pools.length === 0) {
        c.poolId = await input(ui, "Create Job: pool", "The id of the pool the job runs on (the account has no pool yet)", (v) => checkId("Pool id", v));
        return;
      }
      const items = c.pools.map((pool) => ({ label: pool, value: pool }));
      c.poolId = answered(await ui.pick(items, { title: "Create Job: pool", placeholder: "The pool the job's tasks run on" }), "pool");
    },
  },
];

export const taskFormSteps: readonly PromptStep<TaskForm>[] = [
  {
    shouldPrompt: (c) => c.id === undefined,
    prompt: async (c, ui) => {
      c.id = await input(ui, `Create Task in ${c.jobId}: id`, "The task's id", (v) => checkId("Task id", v));
    },
  },
  {
    shouldPrompt: (c) => c.commandLine === undefined,
    prompt: async (c, ui) => {
      c.commandLine = await input(ui, `Create Task in ${c.jobId}: command line`, "What the task runs, e.g. /bin/sh -c 'echo hello'", (v) =>
        v.trim() ? undefined : "Command line: type the command the task runs.",
      );
    },
  },
];

export const poolAddParameter = (form: Required<PoolForm>) => ({
  id: form.id,
  vmSize: form.vmSize,
  virtualMachineConfiguration: form.image,
  targetDedicatedNodes: form.targetDedicatedNodes,
  taskSlotsPerNode: form.taskSlotsPerNode,
});

export const jobAddParameter = (form: JobForm) => ({ id: form.id!, poolInfo: { poolId: form.poolId! } });

export const taskAddParameter = (form: TaskForm) => ({ id: form.id!, commandLine: form.commandLine! });
