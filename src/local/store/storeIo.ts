// Why: the store's only write path, so tests can inject a full disk at a chosen byte and crash the process at a chosen step.
import * as fs from "node:fs";

/** What the store needs to write; tests replace it to fail part-way (e.g. ENOSPC after N bytes). */
export interface StoreIo {
  /** Like fs.writeSync(fd, buffer, offset, length): may write fewer bytes than asked, or throw. */
  write(fd: number, buffer: Buffer, offset: number, length: number): number;
}

export const nodeIo: StoreIo = { write: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length) };

/** Writes all of `buffer`, looping over short writes. */
export function writeAll(io: StoreIo, fd: number, buffer: Buffer): void {
  for (let offset = 0; offset < buffer.length; ) offset += io.write(fd, buffer, offset, buffer.length - offset);
}

/** An io that behaves like a disk with `capacity` free bytes: it writes up to that many, then throws ENOSPC. */
export function diskWithFreeBytes(capacity: number): StoreIo & { written: number } {
  const io = {
    written: 0,
    write(fd: number, buffer: Buffer, offset: number, length: number): number {
      const room = capacity - io.written;
      if (room <= 0) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });
      const count = fs.writeSync(fd, buffer, offset, Math.min(length, room));
      io.written += count;
      return count;
    },
  };
  return io;
}

/**
 * TEST ONLY. `BATCH_MANAGER_TEST_CRASH_AT=<point>[@<n>]` SIGKILLs this process the n-th time (default 1st) the store
 * reaches `<point>`; the fault-injection tests use it to crash between any two steps. Never set it otherwise.
 * Points: append:torn (half a journal record written), append:written, compact:snapshot-torn, compact:snapshot-written,
 * compact:snapshot-renamed, compact:journal-written, compact:journal-renamed.
 */
const crashSetting = /^([a-z:-]+)(?:@(\d+))?$/.exec(process.env.BATCH_MANAGER_TEST_CRASH_AT ?? "");
let crashCountdown = crashSetting ? Number(crashSetting[2] ?? 1) : 0;

export function crashPoint(point: string): boolean {
  return crashSetting !== null && crashSetting[1] === point && --crashCountdown === 0;
}

export function crashNow(): never {
  process.kill(process.pid, "SIGKILL");
  // SIGKILL is not delivered synchronously everywhere; never go on
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}
