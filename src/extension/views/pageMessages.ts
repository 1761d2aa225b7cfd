// Why: lets callers (and the integration tests) wait for a view page's next message of a kind, without fixed sleeps.

export interface PageMessages<M> {
  /** every message the page sent, in order */
  readonly received: M[];
  /** resolves with the first message (already received after `from`, or still to come) that `match` accepts; rejects after `timeoutMs` */
  waitFor(match: (message: M) => boolean, timeoutMs?: number, from?: number): Promise<M>;
}

export function pageMessages<M>(): { received(message: M): void; api: PageMessages<M> } {
  const received: M[] = [];
  const waiters: { match: (message: M) => boolean; resolve: (message: M) => void }[] = [];
  return {
    received(message) {
      received.push(message);
      for (const waiter of [...waiters]) {
        if (waiter.match(message)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    },
    api: {
      received,
      waitFor(match, timeoutMs = 30_000, from = 0) {
        const already = received.slice(from).find(match);
        if (already) return Promise.resolve(already);
        return new Promise<M>((resolve, reject) => {
          const timer = setTimeout(() => {
            waiters.splice(waiters.indexOf(waiter), 1);
            reject(new Error(`the page sent no matching message within ${timeoutMs} ms`));
          }, timeoutMs);
          const waiter = {
            match,
            resolve: (message: M) => {
              clearTimeout(timer);
              resolve(message);
            },
          };
          waiters.push(waiter);
        });
      },
    },
  };
}
