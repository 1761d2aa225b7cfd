// Why: Application_List and Application_Get through the real SDK over packages put into the service's local store.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, type LocalServiceHandle } from "../../support/localService";
import { addApplicationPackage } from "./packageZips";

describe("applications", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService();
    client = service.client();
  });
  after(() => service.stop());

  it("lists no application while the store is empty", async () => {
    assert.deepEqual([...(await client.application.list())], []);
  });

  it("lists and gets packages added while the service runs (id, displayName, versions)", async () => {
    addApplicationPackage(service.dataDir, "blender", "2.7", { "blender.txt": "2.7" }, { displayName: "Blender", makeDefault: true });
    addApplicationPackage(service.dataDir, "blender", "2.8", { "blender.txt": "2.8" });
    addApplicationPackage(service.dataDir, "ffmpeg", "4.1", { "bin/ffmpeg": "#!/bin/sh\n" });
    const listed = await client.application.list();
    assert.deepEqual(
      listed.map((app) => ({ ...app })),
      [
        { id: "blender", displayName: "Blender", versions: ["2.7", "2.8"] },
        { id: "ffmpeg", displayName: "ffmpeg", versions: ["4.1"] },
      ],
    );
    const blender = await client.application.get("BLENDER");
    assert.deepEqual(
      { id: blender.id, displayName: blender.displayName, versions: blender.versions },
      { id: "blender", displayName: "Blender", versions: ["2.7", "2.8"] },
      "ids are case-insensitive",
    );
  });

  it("pages with maxresults", async () => {
    const first = await client.application.list({ applicationListOptions: { maxResults: 1 } });
    assert.deepEqual(
      first.map((app) => app.id),
      ["blender"],
    );
    assert.ok(first.odatanextLink);
    const second = await client.application.listNext(first.odatanextLink);
    assert.deepEqual(
      second.map((app) => app.id),
      ["ffmpeg"],
    );
    assert.equal(second.odatanextLink, undefined);
  });

  it("answers 404 ApplicationNotFound for an unknown application", async () => {
    await assert.rejects(client.application.get("maya"), { statusCode: 404, code: "ApplicationNotFound" });
  });
});
