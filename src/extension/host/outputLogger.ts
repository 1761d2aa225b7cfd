// Why: binds the core's vscode-free Logger interface to the "Azure Batch" LogOutputChannel (secrets redacted before they reach it).

import type * as vscode from "vscode";
import { redactSecrets, type Logger } from "../../local/common/logger";

/** The channel adds timestamps and honours the user's log level ("Developer: Set Log Level..."). */
export function createOutputLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    debug: (message) => channel.debug(redactSecrets(message)),
    info: (message) => channel.info(redactSecrets(message)),
    warn: (message) => channel.warn(redactSecrets(message)),
    error: (message) => channel.error(redactSecrets(message)),
  };
}
