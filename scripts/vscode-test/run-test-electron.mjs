// Why: runs the same extension-host suite under @vscode/test-electron (desktop VS Code), where VS Code can be downloaded.
// Offline machines (like CI here) use run-extension-tests.cjs with code-server instead; both load out/test/extension/suite/index.js.
import { runTests } from "@vscode/test-electron";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
try {
  await runTests({
    version: process.env.VSCODE_TEST_VERSION ?? "1.100.3",
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, "out", "test", "extension", "suite", "index.js"),
    launchArgs: [path.join(root, "test", "extension", "workspace"), "--disable-extensions"],
  });
} catch (error) {
  console.error(`extension tests failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
