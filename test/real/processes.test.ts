// real/processes.ts: the children of a deployment's processes, and how they are stopped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childrenOf, isOurs, killNow, sleepMs, startDetached, statFields } from '../../real/processes.js';

/** Alive and not a zombie. */
function alive(pid: number): boolean {
  const fields = statFields(pid);
  return fields !== null && fields[0] !== 'Z';
}

describe('killNow (teardown on exit, and crashes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'uiasim-processes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("kills a detached process's children with it, as nginx's workers with their master", async () => {
    // A master with two workers, like nginx: SIGKILL to the master alone leaves the workers
    // running (reparented), which is what an exit hook once did to a deployment's nginx.
    const marker = 'uiasim-killnow-test';
    const started = startDetached('sh', ['-c', `sleep 300 & sleep 300 & wait # ${marker}`], { cwd: dir, logFile: join(dir, 'log'), marker });
    let workers: number[] = [];
    try {
      for (let i = 0; i < 100 && workers.length < 2; i++) {
        await sleepMs(20);
        workers = childrenOf(started.pid);
      }
      expect(workers).toHaveLength(2);
      killNow(started);
      for (let i = 0; i < 100 && (isOurs(started) || workers.some(alive)); i++) await sleepMs(20);
      expect(isOurs(started)).toBe(false);
      expect(workers.filter(alive)).toEqual([]);
    } finally {
      // Whatever happened above, nothing of it outlives the test.
      for (const pid of [started.pid, ...workers]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
    }
  });
});
