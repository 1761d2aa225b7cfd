// Why: the getting-started walkthrough must only point at pages that exist and commands that are contributed (or built in), in the loop's order.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

const root = path.resolve(__dirname, "../../../..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

interface WalkthroughStep {
  id: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}

describe("the getting-started walkthrough", () => {
  const [walkthrough] = pkg.contributes.walkthroughs as { id: string; steps: WalkthroughStep[] }[];
  const contributed = new Set((pkg.contributes.commands as { command: string }[]).map((c) => c.command));
  const builtIn = (command: string) => command.startsWith("workbench.") || command.startsWith("vscode.");

  it("goes start service → new workload → F5 → run → deploy", () => {
    const commandsInOrder = walkthrough!.steps.flatMap((step) => [...step.description.matchAll(/\(command:([\w.]+)/g)].map((match) => match[1]));
    assert.deepEqual(commandsInOrder.slice(0, 3), ["batchManager.local.start", "batchManager.newWorkload", "workbench.action.debug.start"]);
    assert.deepEqual(commandsInOrder.slice(3), ["batchManager.deploy", "batchManager.runJob", "batchManager.deploy"]);
  });

  it("every step's page exists and every command it names is contributed or built in", () => {
    for (const step of walkthrough!.steps) {
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media && fs.existsSync(path.join(root, media)), `${step.id}: media ${media} is missing`);
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)/g)) {
        assert.ok(contributed.has(command!) || builtIn(command!), `${step.id}: command ${command} is not contributed`);
      }
      for (const event of step.completionEvents ?? []) {
        const command = event.replace(/^onCommand:/, "");
        if (event.startsWith("onCommand:")) assert.ok(contributed.has(command) || builtIn(command), `${step.id}: completion event ${event} names no command`);
      }
    }
  });
});
