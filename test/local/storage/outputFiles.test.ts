// Why: output-file uploads against a real Azurite: patterns, blob naming, headers, conditions, failure info, logs and escapes.
import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { BatchServiceError } from "../../../src/local/protocol/batchError";
import { uploadOutputFiles, validateOutputFile, type OutputFile, type OutputFileUploadCondition } from "../../../src/local/storage";
import { expandVariables, globMatcher } from "../../../src/local/storage/outputPattern";
import { blobNames, blobText, containerSasUrl, createContainer, forgedSasUrl, SAS_SIGNATURE, startFixture, taskDirWith, type StorageFixture } from "./helpers";

const TASK_FILES = {
  "stdout.txt": "out",
  "stderr.txt": "err",
  "wd/a.txt": "a",
  "wd/b.log": "b",
  "wd/.hidden.txt": "hidden",
  "wd/sub/c.txt": "c",
  "wd/sub/deep/d.txt": "d",
  "wd/sub/.e.txt": "e",
  "wd/.dot/f.txt": "f",
  "wd/x1.dat": "x1",
  "wd/y1.dat": "y1",
  "wd/z1.dat": "z1",
  "wd/abc*": "star",
  "wd/abcd": "abcd",
  "wd/out/r.txt": "r",
};

describe("uploadOutputFiles", () => {
  let fixture: StorageFixture;
  let counter = 0;

  /** Runs one upload into a fresh container and returns the blob names, the result and the task directory. */
  const run = async (
    specs: (containerUrl: string) => OutputFile[],
    options: { exitCode?: number | null; env?: Record<string, string>; container?: string | null } = {},
  ) => {
    const name = `out-${++counter}`;
    if (options.container !== null) await createContainer(fixture, options.container ?? name);
    const { taskDir, workingDir } = await taskDirWith(fixture.root, `task${counter}`, TASK_FILES);
    const exitCode = options.exitCode === null ? undefined : (options.exitCode ?? 0);
    const result = await uploadOutputFiles(specs(containerSasUrl(fixture, name, "cw")), {
      workingDir,
      taskDir,
      exitCode,
      env: options.env ?? {},
      logger: fixture.logger,
    });
    const names = options.container === null ? [] : await blobNames(fixture, name);
    return { name, names, result, taskDir, workingDir };
  };
  const spec = (filePattern: string, containerUrl: string, extra: { path?: string; condition?: OutputFileUploadCondition } = {}): OutputFile => ({
    filePattern,
    destination: { container: { containerUrl, path: extra.path } },
    uploadOptions: extra.condition ? { uploadCondition: extra.condition } : undefined,
  });

  before(async () => {
    fixture = await startFixture("output");
  });

  after(async () => {
    await fixture.close();
  });

  it("uploads a single file to path as the full blob name, or under its own name without path", async () => {
    const { names, result, name } = await run((url) => [spec("a.txt", url, { path: "results/renamed.txt" }), spec("sub/c.txt", url)]);
    assert.equal(result.failureInfo, undefined);
    assert.deepEqual(names, ["c.txt", "results/renamed.txt"]);
    assert.equal(await blobText(fixture, name, "results/renamed.txt"), "a");
  });

  it("treats path as a virtual directory for wildcards and skips dot files", async () => {
    const { names } = await run((url) => [spec("*.txt", url, { path: "pre" })]);
    assert.deepEqual(names, ["pre/a.txt"]);
  });

  it("recurses with ** keeping sub-paths, without entering dot directories", async () => {
    const { names } = await run((url) => [spec("**/*.txt", url)]);
    assert.deepEqual(names, ["a.txt", "out/r.txt", "sub/c.txt", "sub/deep/d.txt"]);
  });

  it("keeps the sub-path below the last literal directory of the pattern", async () => {
    const { names } = await run((url) => [spec("sub/**/*.txt", url, { path: "p/" })]);
    assert.deepEqual(names, ["p/c.txt", "p/deep/d.txt"]);
  });

  it("matches dot files when the pattern segment starts with a dot", async () => {
    const { names } = await run((url) => [spec(".*.txt", url), spec("sub/.*", url, { path: "s" })]);
    assert.deepEqual(names, [".hidden.txt", "s/.e.txt"]);
  });

  it("supports ?, [abc], [a-c], [!abc] and bracket escapes", async () => {
    const { names } = await run((url) => [
      spec("[xy]1.dat", url, { path: "set" }),
      spec("[!xy]1.dat", url, { path: "not" }),
      spec("?1.dat", url, { path: "any" }),
      spec("[a-y]1.dat", url, { path: "range" }),
      spec("abc[*]", url, { path: "escaped" }),
    ]);
    assert.deepEqual(names, [
      "any/x1.dat",
      "any/y1.dat",
      "any/z1.dat",
      "escaped/abc*",
      "not/z1.dat",
      "range/x1.dat",
      "range/y1.dat",
      "set/x1.dat",
      "set/y1.dat",
    ]);
  });

  it("reaches the task directory logs with ../ and expands $VAR first", async () => {
    const { names } = await run(
      (url) => [
        spec("../std*.txt", url, { path: "logs" }),
        spec("$OUT_DIR/*.txt", url, { path: "var" }),
        spec("${OUT_DIR}/r.txt", url, { path: "braced.txt" }),
      ],
      {
        env: { OUT_DIR: "out" },
      },
    );
    assert.deepEqual(names, ["braced.txt", "logs/stderr.txt", "logs/stdout.txt", "var/r.txt"]);
  });

  it("accepts patterns that match nothing and still writes the upload logs", async () => {
    const { names, result, taskDir } = await run((url) => [spec("nothing-*.bin", url), spec("missing.txt", url)]);
    assert.deepEqual(names, []);
    assert.equal(result.failureInfo, undefined);
    assert.match(await fs.readFile(path.join(taskDir, "fileuploadout.txt"), "utf8"), /matched 0 file/);
    assert.equal(await fs.readFile(path.join(taskDir, "fileuploaderr.txt"), "utf8"), "");
  });

  it("applies uploadHeaders to the blob (content type, language, metadata, cache control)", async () => {
    const { name } = await run((url) => [
      {
        filePattern: "a.txt",
        destination: {
          container: {
            containerUrl: url,
            uploadHeaders: [
              { name: "Content-Type", value: "application/x-overridden" },
              { name: "x-ms-blob-content-type", value: "text/plain; charset=utf-8" },
              { name: "Content-Language", value: "en-US" },
              { name: "x-ms-client-request-id", value: "sent-as-is" },
              { name: "x-ms-meta-producer", value: "local-batch" },
              { name: "x-ms-blob-cache-control", value: "no-cache" },
            ],
          },
        },
        uploadOptions: { uploadCondition: "taskcompletion" },
      },
    ]);
    const properties = await fixture.service.getContainerClient(name).getBlobClient("a.txt").getProperties();
    assert.equal(properties.contentType, "text/plain; charset=utf-8");
    assert.equal(properties.cacheControl, "no-cache");
    assert.equal(properties.contentLanguage, "en-US");
    assert.deepEqual(properties.metadata, { producer: "local-batch" });
  });

  it("honours uploadCondition for success and failure exit codes", async () => {
    const specs = (url: string): OutputFile[] => [
      spec("a.txt", url, { path: "success", condition: "tasksuccess" }),
      spec("a.txt", url, { path: "failure", condition: "taskfailure" }),
      spec("a.txt", url, { path: "completion", condition: "taskcompletion" }),
      spec("a.txt", url, { path: "default" }),
    ];
    assert.deepEqual((await run(specs, { exitCode: 0 })).names, ["completion", "default", "success"]);
    assert.deepEqual((await run(specs, { exitCode: 3 })).names, ["completion", "default", "failure"]);
  });

  it("uploads nothing and writes no logs when the task never ran or no spec applies", async () => {
    for (const exitCode of [null, 0] as const) {
      const { names, result, taskDir } = await run((url) => [spec("a.txt", url, { condition: exitCode === null ? "taskcompletion" : "taskfailure" })], {
        exitCode,
      });
      assert.deepEqual(names, []);
      assert.deepEqual(result, {});
      await assert.rejects(fs.stat(path.join(taskDir, "fileuploadout.txt")));
      await assert.rejects(fs.stat(path.join(taskDir, "fileuploaderr.txt")));
    }
  });

  it("reports a missing container as FileUploadContainerNotFound with logs and no SAS", async () => {
    const { result, taskDir } = await run((url) => [spec("*.txt", url), spec("b.log", url)], { container: null, exitCode: 0 });
    const failure = result.failureInfo;
    assert.ok(failure);
    assert.equal(failure.category, "usererror");
    assert.equal(failure.code, "FileUploadContainerNotFound");
    assert.match(failure.message ?? "", /container\(s\) was not found/);
    assert.ok(failure.details?.some((detail) => detail.name === "ContainerUrl" && detail.value === `${fixture.azurite.blobEndpoint}/out-${counter}`));
    const errors = await fs.readFile(path.join(taskDir, "fileuploaderr.txt"), "utf8");
    assert.match(errors, /FileUploadContainerNotFound/);
    assert.match(errors, /b\.log/);
    for (const text of [JSON.stringify(failure), errors, await fs.readFile(path.join(taskDir, "fileuploadout.txt"), "utf8")])
      assert.doesNotMatch(text, SAS_SIGNATURE);
  });

  it("reports a rejected SAS as FileUploadAccessDenied", async () => {
    await createContainer(fixture, "denied");
    const { taskDir, workingDir } = await taskDirWith(fixture.root, "denied-task", TASK_FILES);
    const result = await uploadOutputFiles([spec("a.txt", forgedSasUrl(fixture, "denied"))], {
      workingDir,
      taskDir,
      exitCode: 0,
      env: {},
      logger: fixture.logger,
    });
    assert.equal(result.failureInfo?.code, "FileUploadAccessDenied");
    assert.deepEqual(await blobNames(fixture, "denied"), []);
  });

  it("refuses patterns that leave the task directory, also through symlinks", async () => {
    const outsideDir = path.join(fixture.root, "outside-secrets");
    await fs.mkdir(outsideDir, { recursive: true });
    await fs.writeFile(path.join(outsideDir, "secret.txt"), "secret");
    const { names, result } = await run((url) => [
      spec("../../outside-secrets/*.txt", url),
      spec(path.join(outsideDir, "secret.txt"), url),
      spec(`${outsideDir}/*`, url),
    ]);
    assert.deepEqual(names, []);
    assert.equal(result.failureInfo?.code, "FileUploadMiscError");
    assert.match(result.failureInfo?.message ?? "", /outside the task directory/);

    const linked = await run(() => []);
    await fs.symlink(outsideDir, path.join(linked.workingDir, "link"), "dir");
    await fs.symlink(path.join(outsideDir, "secret.txt"), path.join(linked.workingDir, "secret-link.txt"));
    const url = containerSasUrl(fixture, linked.name, "cw");
    const again = await uploadOutputFiles([spec("link/*", url), spec("**/*", url, { path: "all" })], {
      workingDir: linked.workingDir,
      taskDir: linked.taskDir,
      exitCode: 0,
      env: {},
      logger: fixture.logger,
    });
    assert.equal(again.failureInfo?.code, "FileUploadMiscError");
    const uploaded = await blobNames(fixture, linked.name);
    assert.ok(uploaded.includes("all/a.txt"));
    assert.ok(!uploaded.some((blob) => blob.includes("secret")), uploaded.join(","));
  });

  it("never logs SAS signatures", () => {
    for (const line of fixture.logger.lines) assert.doesNotMatch(line, SAS_SIGNATURE, line);
  });
});

describe("validateOutputFile", () => {
  const url = "https://account.blob.core.windows.net/out?sv=2022&sig=abc";
  const valid = (filePattern: string, taskDir?: string): void =>
    validateOutputFile(
      { filePattern, destination: { container: { containerUrl: url } }, uploadOptions: { uploadCondition: "taskcompletion" } },
      "outputFiles[0]",
      { taskDir },
    );
  const rejects = (file: unknown, code: string, property: string, taskDir?: string): void => {
    assert.throws(
      () => validateOutputFile(file as OutputFile, "outputFiles[0]", { taskDir }),
      (error: unknown) => error instanceof BatchServiceError && error.code === code && error.message.includes(property),
    );
  };

  it("accepts patterns inside the task directory", () => {
    for (const pattern of ["a.txt", "**/*.txt", "../stdout.txt", "../std*.txt", "sub/../../stderr.txt", "$AZ_BATCH_TASK_DIR/x"]) valid(pattern);
    valid("/tasks/t1/wd/*.txt", "/tasks/t1");
  });

  it("rejects missing properties, bad conditions and escaping patterns", () => {
    rejects({ destination: { container: { containerUrl: url } } }, "MissingRequiredProperty", "outputFiles[0].filePattern");
    rejects({ filePattern: "a" }, "MissingRequiredProperty", "outputFiles[0].destination");
    rejects({ filePattern: "a", destination: {} }, "MissingRequiredProperty", "outputFiles[0].destination.container");
    rejects({ filePattern: "a", destination: { container: {} } }, "MissingRequiredProperty", "outputFiles[0].destination.container.containerUrl");
    rejects({ filePattern: "a", destination: { container: { containerUrl: "not a url" } } }, "InvalidPropertyValue", "containerUrl");
    rejects(
      { filePattern: "a", destination: { container: { containerUrl: url, uploadHeaders: [{ value: "x" }] } } },
      "MissingRequiredProperty",
      "uploadHeaders[0].name",
    );
    rejects(
      { filePattern: "a", destination: { container: { containerUrl: url } }, uploadOptions: { uploadCondition: "always" } },
      "InvalidPropertyValue",
      "uploadCondition",
    );
    for (const pattern of ["../../x", "../../*", "a/../../../x"])
      rejects({ filePattern: pattern, destination: { container: { containerUrl: url } } }, "InvalidPropertyValue", "outputFiles[0].filePattern");
    rejects({ filePattern: "/etc/*", destination: { container: { containerUrl: url } } }, "InvalidPropertyValue", "outputFiles[0].filePattern", "/tasks/t1");
  });
});

describe("output file pattern language", () => {
  it("expands $VAR and ${VAR} on Linux and %VAR% (any case) on Windows, leaving unknown names", () => {
    const env = { OUT: "o", Path: "p" };
    assert.equal(expandVariables("$OUT/${OUT}/$NOPE/%OUT%", env, false), "o/o/$NOPE/%OUT%");
    assert.equal(expandVariables("%out%/%PATH%/%NOPE%/$OUT", env, true), "o/p/%NOPE%/$OUT");
  });

  it("treats brace, extglob, regex and negation syntax literally", () => {
    assert.equal(globMatcher("a{b,c}*")("ab"), false);
    assert.equal(globMatcher("a{b,c}*")("a{b,c}x"), true);
    assert.equal(globMatcher("(a|b)*")("a"), false);
    assert.equal(globMatcher("!x*")("!xy"), true);
    assert.equal(globMatcher("!x*")("ab"), false);
    assert.equal(globMatcher("+(a)")("+(a)"), true);
  });

  it("does not let bracket expressions or ? match a leading dot", () => {
    assert.equal(globMatcher("[!abc]x")(".x"), false);
    assert.equal(globMatcher("[!abc]x")("dx"), true);
    assert.equal(globMatcher("x[!a]")("x."), true);
    assert.equal(globMatcher("?x")(".x"), false);
    assert.equal(globMatcher("**/[!a]*")("d/.e"), false);
  });
});
