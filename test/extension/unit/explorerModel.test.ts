// Why: plain-node (node:test) unit tests of the explorer's vscode-free tree model (no extension host needed).

import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CommandId } from "../../../src/extension/common/ids";
import { LOCAL_START_LABEL, type LocalServiceProbe, notStartedLocalService } from "../../../src/extension/tree/accountNodes";
import { ExplorerModel } from "../../../src/extension/tree/explorerModel";
import type { TreeNode } from "../../../src/extension/tree/treeNode";
import { allNodeIds } from "../support/treeIds";

const labelsOf = (nodes: TreeNode[]) => nodes.map((n) => n.label);

describe("extension tree model", () => {
  it("the only root is an expanded Accounts node holding the Local account", async () => {
    const model = new ExplorerModel({ localService: notStartedLocalService });
    const roots = await model.children();
    assert.deepEqual(labelsOf(roots), ["Accounts"]);
    assert.equal(roots[0].collapsible, "expanded");
    const accounts = await model.children(roots[0]);
    assert.deepEqual(labelsOf(accounts), ["Local"]);
    assert.equal(accounts[0].id, "accounts/local");
    assert.equal(accounts[0].parent, roots[0]);
  });

  it("a stopped local service shows one action leaf that starts it", async () => {
    const model = new ExplorerModel({ localService: notStartedLocalService });
    const [local] = await model.children(model.roots()[0]);
    const children = await model.children(local);
    assert.deepEqual(labelsOf(children), [LOCAL_START_LABEL]);
    assert.equal(children[0].collapsible, "none");
    assert.equal(children[0].contextValue, "action");
    assert.equal(children[0].command?.id, CommandId.localStart);
    assert.deepEqual(await model.children(children[0]), []);
  });

  it("a running local service without a client shows its endpoint", async () => {
    const running: LocalServiceProbe = { getStatus: async () => ({ state: "running", endpoint: "http://127.0.0.1:10100", accountName: "local" }) };
    const model = new ExplorerModel({ localService: running });
    const [local] = await model.children(model.roots()[0]);
    assert.deepEqual(labelsOf(await model.children(local)), ["Running at http://127.0.0.1:10100"]);
  });

  it("a failing status probe becomes an error item instead of failing the list", async () => {
    const broken: LocalServiceProbe = {
      getStatus: async () => {
        throw new Error("ECONNREFUSED 127.0.0.1:10100");
      },
    };
    const model = new ExplorerModel({ localService: broken });
    const [local] = await model.children(model.roots()[0]);
    const children = await model.children(local);
    assert.equal(children.length, 1);
    assert.equal(children[0].contextValue, "error");
    assert.equal(children[0].label, "Error: Could not query the local service: cannot reach the local service at 127.0.0.1:10100 (nothing is listening there)");
  });

  it("a node whose getChildren throws yields one ErrorNode and a log line", async () => {
    const errors: string[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (m: string) => errors.push(m) };
    const model = new ExplorerModel({ localService: notStartedLocalService, logger });
    const bad: TreeNode = { id: "bad", label: "bad", contextValue: "x", collapsible: "collapsed", getChildren: () => Promise.reject(new Error("boom")) };
    const children = await model.children(bad);
    assert.deepEqual(labelsOf(children), ["Error: boom"]);
    assert.equal(children[0].id, "bad/error:children");
    assert.deepEqual(errors, ['Loading children of "bad" failed: boom']);
  });

  it("refresh notifies listeners until they are disposed", () => {
    const model = new ExplorerModel({ localService: notStartedLocalService });
    const seen: (string | undefined)[] = [];
    const subscription = model.onDidChange((node) => seen.push(node?.id));
    model.refresh();
    model.refresh(model.roots()[0]);
    subscription.dispose();
    model.refresh();
    assert.deepEqual(seen, [undefined, "accounts"]);
  });

  it("node ids are unique across the tree", async () => {
    const model = new ExplorerModel({ localService: notStartedLocalService });
    const ids = await allNodeIds(model);
    assert.equal(new Set(ids).size, ids.length);
  });
});
