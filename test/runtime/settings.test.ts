// Why: BatchClientSettings reads environment variables and settings files, applies local defaults, and reports every problem at once by variable name.
import * as os from "node:os";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { BatchClientSettings, SettingsError } from "../../src/runtime";
import { tempDir } from "../support/localService";

const LOCAL_KEY = "bG9jYWwtYmF0Y2gtd2VsbC1rbm93bi1kZXZlbG9wbWVudC1hY2NvdW50LWtleS1ub3QtYS1zZWNyZXQtMDAwMQ==";

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof SettingsError, `expected SettingsError, got ${String(error)}`);
    return error.problems.map((problem) => `${problem.variable} ${problem.message}`);
  }
  assert.fail("settings were accepted");
}

describe("BatchClientSettings", () => {
  it("local mode needs only the service URL: well-known accounts and Azurite are the defaults", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-local-service-"));
    const settings = BatchClientSettings.fromEnvironment({
      BATCH_ACCOUNT_URL: "http://127.0.0.1:8510/",
      BATCH_AUTH_MODE: "local",
      BATCH_MANAGER_LOCAL_DATA: empty,
    });
    assert.equal(settings.accountUrl, "http://127.0.0.1:8510");
    assert.equal(settings.authMode, "local");
    assert.equal(settings.accountName, "localbatch");
    assert.equal(settings.accountKey, LOCAL_KEY);
    assert.equal(settings.storageAccountName, "devstoreaccount1");
    assert.equal(settings.storageBlobEndpoint, "http://127.0.0.1:10000/devstoreaccount1");
    assert.equal(settings.runtimeContainer, "batch-runtime");
    assert.equal(settings.sasLifetimeMinutes, 480);
    assert.equal(settings.nodeExecutable, "node");
  });

  it("local mode without BATCH_ACCOUNT_KEY answers to the data folder's private key, as a process started by hand needs", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "local-service-key-"));
    const key = Buffer.alloc(64, 7).toString("base64");
    fs.writeFileSync(path.join(dataDir, "key"), `${key}\n`, { mode: 0o600 });
    fs.writeFileSync(path.join(dataDir, "service.json"), JSON.stringify({ accountKeySource: "keyFile" }));
    const env = { BATCH_ACCOUNT_URL: "http://127.0.0.1:8510", BATCH_AUTH_MODE: "local", BATCH_MANAGER_LOCAL_DATA: dataDir };
    assert.equal(BatchClientSettings.fromEnvironment(env).accountKey, key);
    fs.writeFileSync(path.join(dataDir, "service.json"), JSON.stringify({ accountKeySource: "wellKnown" }));
    assert.equal(BatchClientSettings.fromEnvironment(env).accountKey, LOCAL_KEY, "a service started with --well-known-account");
    assert.equal(BatchClientSettings.fromEnvironment({ ...env, BATCH_ACCOUNT_KEY: "a2V5a2V5" }).accountKey, "a2V5a2V5", "an explicit key wins");
  });

  it("infers sharedKey from a key and entraId without one", () => {
    const shared = BatchClientSettings.fromEnvironment({
      BATCH_ACCOUNT_URL: "https://acct.westeurope.batch.azure.com",
      BATCH_ACCOUNT_NAME: "acct",
      BATCH_ACCOUNT_KEY: "a2V5" + "a2V5",
    });
    assert.equal(shared.authMode, "sharedKey");
    const entra = BatchClientSettings.fromEnvironment({ BATCH_ACCOUNT_URL: "https://acct.westeurope.batch.azure.com", BATCH_STORAGE_ACCOUNT_NAME: "store" });
    assert.equal(entra.authMode, "entraId");
    assert.equal(entra.storageBlobEndpoint, "https://store.blob.core.windows.net");
    assert.equal(entra.storageAccountKey, undefined);
  });

  it("falls back to the node's AZ_BATCH_ACCOUNT_URL / AZ_BATCH_ACCOUNT_NAME", () => {
    const settings = BatchClientSettings.fromEnvironment({
      AZ_BATCH_ACCOUNT_URL: "https://acct.westeurope.batch.azure.com/",
      AZ_BATCH_ACCOUNT_NAME: "acct",
      BATCH_AUTH_MODE: "entraId",
    });
    assert.equal(settings.accountUrl, "https://acct.westeurope.batch.azure.com");
    assert.equal(settings.accountName, "acct");
  });

  it("reports every missing and malformed setting at once, naming the variable, never twice", () => {
    const problems = problemsOf(() =>
      BatchClientSettings.load({
        env: {
          BATCH_ACCOUNT_URL: "http://batch.example.com",
          BATCH_AUTH_MODE: "sharedKey",
          BATCH_SAS_LIFETIME_MINUTES: "0",
          BATCH_CALLBACK_URL: "http://hooks.example.com/x",
          BATCH_POOL_ID: "bad id!",
        },
        purpose: "submit",
      }),
    );
    assert.deepEqual(
      problems.map((problem) => problem.split(" ")[0]),
      [
        "BATCH_ACCOUNT_URL",
        "BATCH_SAS_LIFETIME_MINUTES",
        "BATCH_POOL_ID",
        "BATCH_CALLBACK_URL",
        "BATCH_ACCOUNT_NAME",
        "BATCH_ACCOUNT_KEY",
        "BATCH_APPLICATION_ID",
        "BATCH_APPLICATION_VERSION",
        "BATCH_STORAGE_ACCOUNT_NAME",
        "BATCH_MANAGED_IDENTITY_CLIENT_ID",
      ],
    );
    assert.match(problems[0]!, /must be an https URL/);
    assert.match(problems[3]!, /must use https/);
    assert.match(problems[4]!, /is missing \(BATCH_AUTH_MODE is sharedKey\)/);
  });

  it("each value check keeps its message (secrets never echoed); choices ignore case; numbers come from text or JSON", () => {
    const problems = problemsOf(() =>
      BatchClientSettings.fromEnvironment({
        BATCH_ACCOUNT_URL: "not a url",
        BATCH_ACCOUNT_KEY: "s3cret!",
        BATCH_MANAGED_IDENTITY_CLIENT_ID: "abc",
        BATCH_RUNTIME_CONTAINER: "Bad--Name",
        BATCH_SAS_LIFETIME_MINUTES: "1.5",
        BATCH_NODE_OS: "mac",
      }),
    );
    assert.deepEqual(problems, [
      'BATCH_ACCOUNT_URL is not a valid URL (got "not a url")',
      "BATCH_ACCOUNT_KEY is not a base64 key",
      'BATCH_MANAGED_IDENTITY_CLIENT_ID must be a GUID (client id of a user-assigned managed identity; got "abc")',
      'BATCH_RUNTIME_CONTAINER is not a valid blob container name (got "Bad--Name")',
      'BATCH_SAS_LIFETIME_MINUTES must be a whole number from 1 to 10080 (got "1.5")',
      'BATCH_NODE_OS must be one of linux, windows (got "mac")',
      "BATCH_ACCOUNT_NAME is missing (BATCH_AUTH_MODE is sharedKey)",
    ]);
    const settings = BatchClientSettings.fromEnvironment({
      BATCH_ACCOUNT_URL: " https://a.westeurope.batch.azure.com// ",
      BATCH_AUTH_MODE: "LOCAL",
      BATCH_NODE_OS: "Windows",
      BATCH_SAS_LIFETIME_MINUTES: "60",
    });
    assert.deepEqual(
      [settings.accountUrl, settings.authMode, settings.nodeOs, settings.sasLifetimeMinutes],
      ["https://a.westeurope.batch.azure.com", "local", "windows", 60],
    );
    assert.equal(settings.with({ callbackUrl: "https://hooks.example.com/x" }).sasLifetimeMinutes, 60, "with() keeps the other values");
  });

  it("a settings file that is not an object, or holds a bad value for a needed setting, reports it once", () => {
    const file = path.join(tempDir("settings-shape"), "batch-settings.json");
    fs.writeFileSync(file, "[1, 2]");
    assert.deepEqual(
      problemsOf(() => BatchClientSettings.load({ env: {}, file })),
      [
        `BATCH_SETTINGS_FILE (${file}) must contain a JSON object`,
        "BATCH_ACCOUNT_URL is missing (the Batch account endpoint, e.g. https://<account>.<region>.batch.azure.com)",
      ],
    );
    fs.writeFileSync(
      file,
      JSON.stringify({
        accountUrl: "http://127.0.0.1:8510",
        authMode: "local",
        poolId: ["p"],
        applicationId: "app",
        applicationVersion: 2,
        sasLifetimeMinutes: 90,
      }),
    );
    assert.deepEqual(
      problemsOf(() => BatchClientSettings.load({ env: {}, file, purpose: "submit" })),
      ['BATCH_POOL_ID (settings file key "poolId") must be a string or number'],
    );
    fs.writeFileSync(
      file,
      JSON.stringify({
        accountUrl: "http://127.0.0.1:8510",
        authMode: "local",
        poolId: "p",
        applicationId: "app",
        applicationVersion: 2,
        sasLifetimeMinutes: 90,
      }),
    );
    const settings = BatchClientSettings.load({ env: {}, file, purpose: "submit" });
    assert.deepEqual([settings.applicationVersion, settings.sasLifetimeMinutes], ["2", 90]);
  });

  it("the error message lists all problems, one per line", () => {
    assert.throws(
      () => BatchClientSettings.fromEnvironment({}),
      (error: Error) => error.message.startsWith("Invalid Batch settings (1 problem):\n  - BATCH_ACCOUNT_URL is missing"),
    );
  });

  it("reads a JSON settings file; environment variables win; unknown keys are problems", () => {
    const dir = tempDir("settings");
    const file = path.join(dir, "batch-settings.json");
    fs.writeFileSync(
      file,
      JSON.stringify({ accountUrl: "https://a.westeurope.batch.azure.com", authMode: "entraId", poolId: "from-file", sasLifetimeMinutes: 30 }),
    );
    const settings = BatchClientSettings.load({ env: { BATCH_POOL_ID: "from-env" }, file });
    assert.deepEqual([settings.accountUrl, settings.poolId, settings.sasLifetimeMinutes], ["https://a.westeurope.batch.azure.com", "from-env", 30]);

    fs.writeFileSync(file, JSON.stringify({ accountUrl: "https://a.westeurope.batch.azure.com", pooolId: "typo", poolId: { nested: true } }));
    const problems = problemsOf(() => BatchClientSettings.load({ env: {}, file }));
    assert.ok(problems.some((problem) => problem.startsWith(`BATCH_SETTINGS_FILE (${file}) has an unknown setting "pooolId"`)));
    assert.ok(problems.some((problem) => problem.startsWith('BATCH_POOL_ID (settings file key "poolId") must be a string or number')));
    fs.writeFileSync(file, "{ not json");
    assert.match(problemsOf(() => BatchClientSettings.load({ env: {}, file }))[0]!, /cannot be read as JSON/);
  });

  it("forwards to nodes everything but keys and the callback URL; Azure nodes use the managed identity", () => {
    const azure = BatchClientSettings.load({
      env: {
        BATCH_ACCOUNT_URL: "https://a.westeurope.batch.azure.com",
        BATCH_ACCOUNT_NAME: "a",
        BATCH_ACCOUNT_KEY: "a2V5a2V5",
        BATCH_STORAGE_ACCOUNT_NAME: "store",
        BATCH_STORAGE_ACCOUNT_KEY: "c3RvcmU=",
        BATCH_MANAGED_IDENTITY_CLIENT_ID: "0b5f4c1e-9a7d-4c3b-8e2f-1a2b3c4d5e6f",
        BATCH_POOL_ID: "pool",
        BATCH_APPLICATION_ID: "app",
        BATCH_APPLICATION_VERSION: "1.0",
        BATCH_CALLBACK_URL: "https://hooks.example.com/done?sig=secret",
      },
      purpose: "submit",
    });
    const forwarded = Object.fromEntries(azure.forNodes().map((setting) => [setting.name, setting.value]));
    assert.equal(forwarded.BATCH_AUTH_MODE, "entraId");
    assert.equal(forwarded.BATCH_MANAGED_IDENTITY_CLIENT_ID, "0b5f4c1e-9a7d-4c3b-8e2f-1a2b3c4d5e6f");
    assert.equal(forwarded.BATCH_ACCOUNT_KEY, undefined);
    assert.equal(forwarded.BATCH_STORAGE_ACCOUNT_KEY, undefined);
    assert.equal(forwarded.BATCH_CALLBACK_URL, undefined);
    assert.equal(forwarded.BATCH_STORAGE_ACCOUNT_NAME, "store");
    assert.equal(azure.describe().BATCH_ACCOUNT_KEY, "***");

    const local = BatchClientSettings.fromEnvironment({
      BATCH_ACCOUNT_URL: "http://127.0.0.1:8510",
      BATCH_AUTH_MODE: "local",
      BATCH_STORAGE_BLOB_ENDPOINT: "http://127.0.0.1:10001/devstoreaccount1",
    });
    const localForwarded = Object.fromEntries(local.forNodes().map((setting) => [setting.name, setting.value]));
    assert.deepEqual(
      [localForwarded.BATCH_AUTH_MODE, localForwarded.BATCH_STORAGE_BLOB_ENDPOINT, localForwarded.BATCH_ACCOUNT_KEY],
      ["local", "http://127.0.0.1:10001/devstoreaccount1", undefined],
    );
  });

  it("with() replaces values and validates them like the environment", () => {
    const settings = BatchClientSettings.fromEnvironment({ BATCH_ACCOUNT_URL: "http://127.0.0.1:8510", BATCH_AUTH_MODE: "local" });
    assert.equal(settings.with({ callbackUrl: "http://localhost:9000/cb" }).callbackUrl, "http://localhost:9000/cb");
    assert.deepEqual(
      problemsOf(() => settings.with({ callbackUrl: "ftp://x" })),
      ['BATCH_CALLBACK_URL must use https (plain http is accepted only for localhost/127.0.0.1/::1; got "ftp://x")'],
    );
  });
});
