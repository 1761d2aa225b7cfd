// Why: the CLI's PromptUi: numbered picks and y/N questions on a terminal; with --yes or without a terminal nothing is asked (a missing answer is an error naming the flag).

import * as readline from "node:readline/promises";
import type { PromptUi } from "../core/wizard/wizard";

export function terminalPromptUi(options: { yes: boolean; flagHint: string }): PromptUi {
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const ask = async (question: string): Promise<string> => {
    if (!interactive) throw new Error(`'${question.trim()}' needs an answer, but this is not an interactive terminal: ${options.flagHint}`);
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    try {
      return (await rl.question(question)).trim();
    } finally {
      rl.close();
    }
  };
  return {
    async pick(items, { title }) {
      const list = items.map((item, index) => `  ${index + 1}) ${item.label}${item.description ? ` — ${item.description}` : ""}`).join("\n");
      const answer = await ask(`${title}\n${list}\nchoose 1-${items.length} (empty cancels): `);
      const index = Number(answer) - 1;
      return Number.isInteger(index) && items[index] ? items[index].value : undefined;
    },
    async input({ title, prompt, value, validate }) {
      const answer = (await ask(`${title}: ${prompt}${value ? ` [${value}]` : ""} `)) || value || "";
      const problem = validate?.(answer);
      if (problem) throw new Error(`${title}: ${problem}`);
      return answer || undefined;
    },
    async confirm(message, { detail }) {
      if (options.yes) return true;
      const answer = await ask(`${detail ? `${detail}\n` : ""}${message} [y/N] `);
      return /^y(es)?$/i.test(answer);
    },
  };
}
