// Why: remembers "URL + account name" Batch accounts in a key-value store and keeps their keys ONLY in secret storage (vscode-free).

/** What is remembered about a shared-key account; never the key. */
export interface SharedKeyAccount {
  readonly id: string;
  readonly url: string;
  readonly accountName: string;
}

/** vscode.Memento (globalState) fits this. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** vscode.SecretStorage fits this. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/**
 * The `batch:` authority of a shared-key account's files: `<account name>@<host[:port]>` (`batch://localbatch@127.0.0.1:8510/jobs/…`),
 * which names the account and where it is; "local" stays the Local account's.
 */
export function sharedKeyAuthority(account: Pick<SharedKeyAccount, "accountName" | "url">): string {
  return `${account.accountName}@${new URL(account.url).host}`.toLowerCase();
}

export const SHARED_KEY_ACCOUNTS_STATE_KEY = "batchManager.accounts.sharedKey";
const secretKey = (id: string) => `batchManager.accountKey:${id}`;

/** "https://acct.region.batch.azure.com/" -> "https://acct.region.batch.azure.com"; throws on anything but http(s). */
export function normalizeBatchUrl(value: string): string {
  const url = new URL(value.trim());
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`not an http(s) URL: ${value}`);
  return url.origin + url.pathname.replace(/\/+$/, "");
}

export class SharedKeyAccountStore {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly state: KeyValueStore,
    private readonly secrets: SecretStore,
  ) {}

  list(): SharedKeyAccount[] {
    return [...(this.state.get<SharedKeyAccount[]>(SHARED_KEY_ACCOUNTS_STATE_KEY) ?? [])];
  }

  /** Adds (or replaces) the account; the key goes to secret storage only. */
  async add(url: string, accountName: string, key: string): Promise<SharedKeyAccount> {
    const name = accountName.trim();
    if (!name) throw new Error("the account name is empty");
    if (!key.trim()) throw new Error("the account key is empty");
    const normalized = normalizeBatchUrl(url);
    const account: SharedKeyAccount = { id: `${name}@${normalized}`, url: normalized, accountName: name };
    await this.secrets.store(secretKey(account.id), key.trim());
    await this.state.update(SHARED_KEY_ACCOUNTS_STATE_KEY, [...this.list().filter((a) => a.id !== account.id), account]);
    this.fire();
    return account;
  }

  /** Forgets the account and deletes its key. */
  async remove(id: string): Promise<void> {
    await this.state.update(
      SHARED_KEY_ACCOUNTS_STATE_KEY,
      this.list().filter((a) => a.id !== id),
    );
    await this.secrets.delete(secretKey(id));
    this.fire();
  }

  async getKey(id: string): Promise<string | undefined> {
    return this.secrets.get(secretKey(id));
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  private fire(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
