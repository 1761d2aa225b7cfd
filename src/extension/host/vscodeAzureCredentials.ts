// Why: the VS Code AzureCredentialSource: tokens from the built-in "microsoft" authentication provider (never prompts except in signIn).

import * as vscode from "vscode";
import { ARM_SCOPE, AuthRequiredError, BATCH_SCOPE, type AzureCredentialSource } from "../accounts/azureCredentials";

const PROVIDER_ID = "microsoft";

export class VscodeAzureCredentialSource implements AzureCredentialSource {
  async getToken(scopes: readonly string[]): Promise<string> {
    const session = await vscode.authentication.getSession(PROVIDER_ID, [...scopes], { silent: true });
    if (!session) throw new AuthRequiredError();
    return session.accessToken;
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return vscode.authentication.onDidChangeSessions((event) => {
      if (event.provider.id === PROVIDER_ID) listener();
    });
  }

  /**
   * Interactive: creates the sessions the explorer needs (ARM for the listings, Batch for the data plane) where
   * missing; when both exist the user is here because a token was refused ("Sign in again"), so both are renewed.
   */
  async signIn(): Promise<void> {
    const scopes = [[ARM_SCOPE], [BATCH_SCOPE]];
    const existing = await Promise.all(scopes.map((s) => vscode.authentication.getSession(PROVIDER_ID, s, { silent: true })));
    const renew = existing.every(Boolean);
    for (const [i, s] of scopes.entries()) {
      if (renew) await vscode.authentication.getSession(PROVIDER_ID, s, { forceNewSession: { detail: "Azure refused the current sign-in." } });
      else if (!existing[i]) await vscode.authentication.getSession(PROVIDER_ID, s, { createIfNone: true });
    }
  }
}
