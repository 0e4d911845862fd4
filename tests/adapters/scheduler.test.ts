import { MemoryScheduler, systemClock } from '@yichuang/server';
import { schedulerContract } from './scheduler.contract.js';

schedulerContract('in-process', () =>
  Promise.resolve({ scheduler: new MemoryScheduler(systemClock), now: () => Date.now() }),
);
