// Why: the job-manager form for Python workloads: a sitecustomize.py on PYTHONPATH that makes the runtime processes BATCH_DEBUG_TASKS selects listen for debugpy and wait, as the Node preload does.
import * as fs from "node:fs";
import * as path from "node:path";
import { DEBUG_TASKS_VARIABLE } from "./taskDebugPreload";

/** What a waiting process prints on stderr (the engine reads it from the task's stderr.txt, as it does the Node inspector's line). */
export const DEBUGPY_WAITING_LINE = /^Batch task waits for debugpy at (\S+):(\d+)\s*$/;
/** How the engine names a debugpy endpoint beside Node inspector URLs. */
export const DEBUGPY_ADDRESS_PREFIX = "debugpy://";

const SITECUSTOMIZE = `"""batch-task debugging (written by Batch Manager): the runtime processes ${DEBUG_TASKS_VARIABLE} selects wait for debugpy."""
import json
import os
import sys


def _wanted():
    selection = os.environ.get("${DEBUG_TASKS_VARIABLE}")
    if not selection or len(sys.argv) < 2 or not sys.argv[0].endswith("main.py"):
        return False
    role = sys.argv[1]
    names = {"job-manager": "JobManager", "finalize": "FinalizeTask", "task": os.environ.get("BATCH_TASK_ENTRY_POINT")}
    name = names.get(role)
    if not name:
        return False
    if selection == "all":
        return True
    try:
        return name in json.loads(selection)
    except ValueError:
        return False


if _wanted():
    import debugpy

    _host, _port = debugpy.listen(("127.0.0.1", 0))
    sys.stderr.write("Batch task waits for debugpy at %s:%d\\n" % (_host, _port))
    sys.stderr.flush()
    debugpy.wait_for_client()
`;

/** Writes sitecustomize.py under the data folder (nodes run on this machine); returns the folder to put on PYTHONPATH. */
export function writePythonDebugHook(dataDir: string): string {
  const folder = path.join(dataDir, "debug", "python");
  const file = path.join(folder, "sitecustomize.py");
  fs.mkdirSync(folder, { recursive: true });
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== SITECUSTOMIZE) fs.writeFileSync(file, SITECUSTOMIZE);
  return folder;
}
