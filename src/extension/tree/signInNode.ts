// Why: the error item an Azure branch shows when its token is missing, expired or refused: clicking it signs in again.

import { CommandId } from "../common/ids";
import { ChildNode, type NodeCommand, type TreeNode } from "./treeNode";

export const SIGN_IN_LABEL = "Sign in to Azure";
export const SIGN_IN_AGAIN_LABEL = "Sign in again";

export class SignInNode extends ChildNode {
  readonly contextValue = "error.signIn";
  readonly collapsible = "none" as const;
  readonly icon = "sign-in";
  readonly command: NodeCommand;
  /** `message`: why a sign-in is needed; undefined when nobody signed in yet (then the label is "Sign in to Azure"). */
  constructor(
    parent: TreeNode,
    readonly message?: string,
  ) {
    super(
      parent,
      "signIn",
      message ? SIGN_IN_AGAIN_LABEL : SIGN_IN_LABEL,
      message ? `${message}\nClick to sign in again.` : "Sign in with your Microsoft account to see your Azure Batch accounts.",
      message,
    );
    this.command = { id: CommandId.accountsSignIn, title: this.label, args: [] };
  }
}
