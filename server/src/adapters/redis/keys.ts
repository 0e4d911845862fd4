import type { Id } from '@yichuang/protocol';

/**
 * Every Redis key of a hall, under one prefix (one per installation, one per test run). The
 * `{hallId}` hash tag keeps a hall's keys in one slot, so the append script also runs on a cluster.
 */
export function hallKeys(prefix: string, hallId: Id) {
  const base = `${prefix}hall:{${hallId}}`;
  return {
    version: `${base}:version`,
    events: `${base}:events`,
    snapshot: `${base}:snapshot`,
    /** #14: each node's position in the hall's log (`version:seconds`), what trimming stays behind. */
    nodes: `${base}:nodes`,
  };
}
