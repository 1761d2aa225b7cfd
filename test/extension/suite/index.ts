// Why: the extensionTestsPath module the real extension host loads: runs the *.itest.js mocha (tdd) files and prints "N passed, N failed".

import * as fs from "node:fs";
import * as path from "node:path";
import Mocha from "mocha";

const SCREENSHOT_GRACE_MS = 1000;

/** Integration tests are named *.itest.ts so plain-node runners globbing *.test.js never pick them up (they need `vscode`). */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: "tdd", color: false, timeout: 60_000, grep: process.env.EXTENSION_TEST_GREP || undefined });
  const files = fs
    .readdirSync(__dirname)
    .sort()
    .filter((file) => file.endsWith(".itest.js"));
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  if (files.length === 0) {
    // e.g. out/ was wiped by a concurrent build: never report an empty run as a pass
    console.log("0 passed, 1 failed");
    return Promise.reject(new Error(`no *.itest.js files in ${__dirname}`));
  }
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const { passes = 0, pending = 0 } = runner.stats ?? {};
        if (passes + failures === 0 && !process.env.EXTENSION_TEST_GREP) failures = 1; // nothing ran: a broken load, not a pass
        console.log(`${passes} passed, ${failures} failed${pending ? `, ${pending} pending` : ""}`);
        // run-extension-tests.cjs takes its --screenshot when it sees that line; give it a moment while
        // the extension host (and so our tree) is still alive, since VS Code tears it down on return.
        setTimeout(() => (failures > 0 ? reject(new Error(`${failures} extension test(s) failed.`)) : resolve()), SCREENSHOT_GRACE_MS);
      });
    } catch (error) {
      console.log("0 passed, 1 failed");
      reject(error);
    }
  });
}
