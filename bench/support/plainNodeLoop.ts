// Why: the throughput benchmark's baseline, the same command from a plain Node loop, run in a fresh process of its own so its spawn cost does not grow with the benchmark's heap.
import { spawn } from "node:child_process";

/** Runs `count` commands `concurrency` at a time and prints the rate in tasks per second. */
async function plainNodeLoop(command: string[], count: number, concurrency: number): Promise<number> {
  const started = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await new Promise<void>((resolve, reject) =>
        spawn(command[0], command.slice(1), { stdio: "ignore" })
          .once("exit", () => resolve())
          .once("error", reject),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

const [count, concurrency, ...command] = process.argv.slice(2);
if (!Number(count) || !Number(concurrency) || command.length === 0) {
  console.error("usage: plainNodeLoop <count> <concurrency> <program> [args...]");
  process.exit(2);
}
plainNodeLoop(command, Number(count), Number(concurrency)).then(
  (rate) => console.log(String(rate)),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
