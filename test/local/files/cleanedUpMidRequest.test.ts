// Why: a task directory removed by retention while a file request is reading it answers 409 TaskFilesCleanedup, not 404.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { fileReply } from "../../../src/local/api/fileContent";
import type { FileScope } from "../../../src/local/api/fileListing";
import { replyUnlessCleanedUp } from "../../../src/local/api/files";
import type { RequestContext } from "../../../src/local/server/router";

const head = { method: "HEAD", headers: {}, params: {}, query: new Map() } as unknown as RequestContext;

describe("a task directory removed mid-request", () => {
  let root: string;
  let scope: FileScope;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "task-dir-"));
    fs.writeFileSync(path.join(root, "stdout.txt"), "out");
    scope = { root, where: "task directory", urlOf: (name) => `https://local/files/${name}` };
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("answers 409 TaskFilesCleanedup when the directory went between the check and the read", async () => {
    const reply = replyUnlessCleanedUp(scope, async () => {
      fs.rmSync(root, { recursive: true, force: true });
      return fileReply(head, scope, "stdout.txt");
    });
    await assert.rejects(reply, { statusCode: 409, code: "TaskFilesCleanedup" });
  });

  it("keeps 404 for a file that is missing from a directory that is still there", async () => {
    await assert.rejects(
      replyUnlessCleanedUp(scope, () => fileReply(head, scope, "missing.txt")),
      (error: { statusCode: number; code: string }) => error.statusCode === 404 && error.code !== "TaskFilesCleanedup",
    );
  });

  it("answers a file that is there", async () => {
    const reply = await replyUnlessCleanedUp(scope, () => fileReply(head, scope, "stdout.txt"));
    assert.equal(reply.status, 200);
  });
});
