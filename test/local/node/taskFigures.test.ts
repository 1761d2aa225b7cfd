// Why: the figures wrapper's file is reused from attempt to attempt: an attempt reads only what its own wrapper wrote, measured by real dash processes.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { spawnInGroup } from "../../../src/local/node/processGroup";
import { figuresProbe, parseFigures } from "../../../src/local/node/taskFigures";
import { READ_BYTES, USER_MS, WRITE_BYTES } from "../../../src/local/store/lifetimeTotals";
import { tempDir } from "../../support/localService";

const root = tempDir("figures");
after(() => fs.rmSync(root, { recursive: true, force: true }));

async function measured(script: string, figuresDir: string, kill?: NodeJS.Signals) {
  const cwd = fs.mkdtempSync(path.join(root, "wd-"));
  const probe = figuresProbe(
    {
      argv: ["/bin/sh", "-c", script],
      cwd,
      env: { PATH: "/usr/bin:/bin", PWD: cwd },
      stdoutFile: path.join(cwd, "stdout.txt"),
      stderrFile: path.join(cwd, "stderr.txt"),
    },
    figuresDir,
  );
  assert.equal(probe.request.argv[0].endsWith("dash"), true, "the task runs under the dash wrapper on Linux");
  const started = await spawnInGroup(probe.request);
  if (kill) process.kill(-started.pid, kill);
  const exit = await started.exited;
  return { exit, figures: probe.read(), file: probe.request.argv[3] };
}

describe("task figures (dash wrapper, reused files)", () => {
  it("measures CPU and bytes written, and the next attempt reuses the file without reading its content", async () => {
    const dir = path.join(root, "figures-a");
    const busy = await measured("i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; head -c 2000000 /dev/zero > out.bin", dir);
    assert.equal(busy.exit.code, 0);
    assert.ok(busy.figures && busy.figures[USER_MS] > 0, `user CPU measured: ${busy.figures}`);
    assert.ok(busy.figures![WRITE_BYTES] >= 2_000_000, `bytes written: ${busy.figures![WRITE_BYTES]}`);
    const quiet = await measured("exit 3", dir);
    assert.equal(quiet.file, busy.file, "the idle file is reused");
    assert.equal(quiet.exit.code, 3);
    assert.ok(quiet.figures, "the second attempt has figures of its own");
    assert.ok(quiet.figures![WRITE_BYTES] < 1000, `not the first attempt's 2 MB: ${quiet.figures![WRITE_BYTES]}`);
  });

  it("reports no figures for an attempt whose wrapper was killed, even when the file holds an earlier attempt's", async () => {
    const dir = path.join(root, "figures-b");
    const first = await measured("head -c 100000 /dev/zero > out.bin", dir);
    assert.ok(first.figures);
    const killed = await measured("sleep 30", dir, "SIGKILL");
    assert.equal(killed.file, first.file);
    assert.equal(killed.exit.signal, "SIGKILL");
    assert.equal(killed.figures, undefined);
  });

  it("takes only content with the attempt's own token, ending in `end`", () => {
    const stat = "123 (dash) S 1 123 123 0 -1 4194560 100 0 0 0 0 0 250 30 20 0 1 0 1 1 1";
    const io = "rchar: 5000\nwchar: 700\nsyscr: 80\nsyscw: 9\nread_bytes: 0\nwrite_bytes: 0\ncancelled_write_bytes: 0";
    const figures = parseFigures(`7.2\n${stat}\n${io}\nend\n`, "7.2");
    assert.ok(figures);
    assert.equal(figures[USER_MS], 2500);
    assert.equal(figures[READ_BYTES], 5000 - (stat.length + 1));
    assert.equal(parseFigures(`7.1\n${stat}\n${io}\nend\n`, "7.2"), undefined, "an earlier attempt's token");
    assert.equal(parseFigures(`7.2\n${stat}\nrchar: 5`, "7.2"), undefined, "cut short: no end line");
  });
});
