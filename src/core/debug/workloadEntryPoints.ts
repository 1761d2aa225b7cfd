// Why: the task classes a workload registers, read from its sources without running it (launch validation and the configuration provider's offers).
import * as fs from "node:fs";
import * as path from "node:path";

export interface WorkloadEntryPoint {
  /** the name the runtime dispatches on: the class's `static entryPointName`, else its class name */
  readonly name: string;
  /** the .ts file declaring the class, when found */
  readonly file: string | undefined;
}

const REGISTER = /registerEntryPoint\s*\(\s*([A-Za-z_$][\w$]*)/g;
const MAX_FILES = 2000;

/** Every `registerEntryPoint(TaskClass …)` under `<workloadDir>/src`, by runtime name, sorted. */
export function findWorkloadEntryPoints(workloadDir: string): WorkloadEntryPoint[] {
  const files = sourceFiles(path.join(workloadDir, "src"));
  const texts = new Map(files.map((file) => [file, fs.readFileSync(file, "utf8")] as const));
  const classNames = new Set<string>();
  for (const text of texts.values()) for (const match of text.matchAll(REGISTER)) classNames.add(match[1]);
  const found = [...classNames].map((className) => {
    const file = [...texts.keys()].find((f) => new RegExp(`class\\s+${className}\\b`).test(texts.get(f)!));
    const body = file ? texts.get(file)!.slice(texts.get(file)!.search(new RegExp(`class\\s+${className}\\b`))) : "";
    const custom = /static\s+(?:override\s+)?(?:readonly\s+)?entryPointName\s*(?::\s*string\s*)?=\s*["'`]([^"'`]+)["'`]/.exec(
      body.split(/\nclass\s|\nexport\s+class\s/)[0] ?? "",
    );
    return { name: custom?.[1] ?? className, file };
  });
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (out.length >= MAX_FILES) break;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "node_modules") sourceFiles(full, out);
    else if (entry.isFile() && /\.(c|m)?ts$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}
