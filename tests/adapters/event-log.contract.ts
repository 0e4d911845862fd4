import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VersionedEvent } from '@yichuang/protocol';
import type { EventLog } from '@yichuang/server';

const ev = (version: number): VersionedEvent => ({
  type: 'counter:resumed',
  at: 1000 + version,
  counterId: `c${version}`,
  version,
});

/** The contract every EventLog adapter passes: memory, the file journal, and (issue #3) Redis. */
export function eventLogContract(name: string, make: () => Promise<EventLog>) {
  describe(`EventLog contract: ${name}`, () => {
    let log: EventLog;
    beforeEach(async () => {
      log = await make();
    });
    afterEach(async () => {
      await log.close();
    });

    it('starts empty and reads back what was appended, in order', async () => {
      expect(await log.read('h', 0)).toEqual([]);
      expect(await log.append('h', 0, [ev(1), ev(2)])).toEqual({ ok: true, version: 2 });
      expect(await log.append('h', 2, [ev(3)])).toEqual({ ok: true, version: 3 });
      expect(await log.read('h', 0)).toEqual([ev(1), ev(2), ev(3)]);
      expect(await log.read('h', 2)).toEqual([ev(3)]);
      expect(await log.read('h', 3)).toEqual([]);
    });

    it('refuses an append made on a stale version and keeps the log unchanged', async () => {
      await log.append('h', 0, [ev(1)]);
      expect(await log.append('h', 0, [ev(1)])).toEqual({ ok: false, conflict: true, currentVersion: 1 });
      expect(await log.append('h', 5, [ev(6)])).toEqual({ ok: false, conflict: true, currentVersion: 1 });
      expect(await log.read('h', 0)).toEqual([ev(1)]);
    });

    it('lets exactly one of two concurrent appends on the same version win', async () => {
      const results = await Promise.all([log.append('h', 0, [ev(1)]), log.append('h', 0, [ev(1)])]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(await log.read('h', 0)).toHaveLength(1);
    });

    it('keeps halls apart', async () => {
      await log.append('a', 0, [ev(1)]);
      await log.append('b', 0, [ev(1), ev(2)]);
      expect(await log.read('a', 0)).toHaveLength(1);
      expect(await log.read('b', 0)).toHaveLength(2);
    });
  });
}
