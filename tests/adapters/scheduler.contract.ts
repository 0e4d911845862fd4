import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Scheduler, Timer } from '@yichuang/server';

export type SchedulerFixture = { scheduler: Scheduler; now: () => number };

const timer = (key: string, at: number): Timer => ({
  key,
  at,
  command: { type: 'counter:resume', counterId: key },
});

function collect(s: Scheduler) {
  const fired: Array<{ hallId: string; key: string }> = [];
  s.onDue((hallId, t) => {
    fired.push({ hallId, key: t.key });
    return Promise.resolve();
  });
  return fired;
}

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
};

/** The contract every Scheduler adapter passes: in-process now, BullMQ with issue #3. */
export function schedulerContract(name: string, make: () => Promise<SchedulerFixture>) {
  describe(`Scheduler contract: ${name}`, () => {
    let f: SchedulerFixture;
    beforeEach(async () => {
      f = await make();
    });
    afterEach(async () => {
      await f.scheduler.close();
    });

    it('delivers a timer once when it is due, with its hall', async () => {
      const fired = collect(f.scheduler);
      await f.scheduler.schedule('h', timer('a', f.now() + 50));
      expect(await f.scheduler.pending('h')).toEqual(['a']);
      await until(() => fired.length > 0);
      await new Promise((r) => setTimeout(r, 100));
      expect(fired).toEqual([{ hallId: 'h', key: 'a' }]);
      expect(await f.scheduler.pending('h')).toEqual([]);
    });

    it('keeps one timer per key however often it is scheduled', async () => {
      const fired = collect(f.scheduler);
      await f.scheduler.schedule('h', timer('a', f.now() + 50));
      await f.scheduler.schedule('h', timer('a', f.now() + 60));
      await until(() => fired.length > 0);
      await new Promise((r) => setTimeout(r, 150));
      expect(fired).toHaveLength(1);
    });

    it('does not deliver a cancelled timer', async () => {
      const fired = collect(f.scheduler);
      await f.scheduler.schedule('h', timer('a', f.now() + 80));
      await f.scheduler.schedule('h', timer('b', f.now() + 80));
      await f.scheduler.cancel('h', 'a');
      await f.scheduler.cancel('h', 'never-set');
      await until(() => fired.length > 0);
      await new Promise((r) => setTimeout(r, 150));
      expect(fired).toEqual([{ hallId: 'h', key: 'b' }]);
    });

    it('delivers a timer already past due at once', async () => {
      const fired = collect(f.scheduler);
      await f.scheduler.schedule('h', timer('late', f.now() - 1000));
      await until(() => fired.length > 0, 2000);
      expect(fired).toEqual([{ hallId: 'h', key: 'late' }]);
    });

    it('keeps halls apart', async () => {
      await f.scheduler.schedule('a', timer('k', f.now() + 60_000));
      await f.scheduler.schedule('b', timer('k', f.now() + 60_000));
      await f.scheduler.cancel('a', 'k');
      expect(await f.scheduler.pending('a')).toEqual([]);
      expect(await f.scheduler.pending('b')).toEqual(['k']);
    });
  });
}
