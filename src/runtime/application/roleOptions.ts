// Why: the command-line options each role accepts (parsed strictly, so a typo is a usage error rather than silently ignored).
import { parseArgs } from "node:util";
import type { Role } from "../contract/roles";
import { UsageError } from "../contract/roles";

type OptionSpec = Record<string, { type: "string" | "boolean" }>;

const COMMON: OptionSpec = { settings: { type: "string" } };

const ROLE_OPTIONS: Record<Role, OptionSpec> = {
  submit: { ...COMMON, "job-id": { type: "string" }, args: { type: "string" }, "args-file": { type: "string" }, "callback-url": { type: "string" } },
  "job-manager": { ...COMMON, "job-id": { type: "string" }, args: { type: "string" } },
  task: { ...COMMON, "entry-point": { type: "string" }, args: { type: "string" }, "job-id": { type: "string" }, "task-id": { type: "string" } },
  finalize: { ...COMMON, "job-id": { type: "string" } },
  "finalize-guard": { ...COMMON, "job-id": { type: "string" } },
};

export function parseRoleOptions(role: Role, args: readonly string[]): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: [...args], options: ROLE_OPTIONS[role], strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(
      `${role}: ${(error as Error).message} (options: ${Object.keys(ROLE_OPTIONS[role])
        .map((o) => `--${o}`)
        .join(", ")})`,
    );
  }
}
