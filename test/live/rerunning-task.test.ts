import { describe, expect, it } from 'vitest';
import { RerunningTask } from '../../src/modules/events/live/rerunning-task.js';

/** A pass that waits until the test lets it finish. */
function gatedPasses() {
  const gates: (() => void)[] = [];
  let passes = 0;
  const pass = () => {
    passes++;
    return new Promise<void>((resolve) => gates.push(resolve));
  };
  return { pass, passes: () => passes, finishOne: () => gates.shift()?.() };
}

describe('a rerunning task', () => {
  it('runs one more pass for any number of requests made during a pass, never two at once', async () => {
    const gated = gatedPasses();
    const task = new RerunningTask(gated.pass, () => undefined, () => false);
    task.request();
    task.request();
    task.request();
    expect(gated.passes()).toBe(1);
    gated.finishOne();
    await new Promise((r) => setImmediate(r));
    expect(gated.passes()).toBe(2);
    gated.finishOne();
    await task.settled();
    expect(gated.passes()).toBe(2);
    expect(task.isRunning).toBe(false);
  });

  it('reports a failing pass, drops the rerun it was asked for, and starts again on the next request', async () => {
    const failures: unknown[] = [];
    let calls = 0;
    const task = new RerunningTask(
      async () => {
        calls++;
        if (calls === 1) throw new Error('database gone');
      },
      (err) => failures.push(err),
      () => false,
    );
    task.request();
    task.request();
    await task.settled();
    expect(failures).toEqual([new Error('database gone')]);
    expect(calls).toBe(1);
    task.request();
    await task.settled();
    expect(calls).toBe(2);
  });

  it('asks for no rerun once stopped', async () => {
    const gated = gatedPasses();
    let stopped = false;
    const task = new RerunningTask(gated.pass, () => undefined, () => stopped);
    task.request();
    task.request();
    stopped = true;
    gated.finishOne();
    await task.settled();
    expect(gated.passes()).toBe(1);
  });
});
