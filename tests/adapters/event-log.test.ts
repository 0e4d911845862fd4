import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { FileJournal, MemoryEventLog } from '@yichuang/server';
import { eventLogContract } from './event-log.contract.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

eventLogContract('memory', () => Promise.resolve(new MemoryEventLog()));
eventLogContract('file journal', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'yc-journal-'));
  dirs.push(dir);
  return new FileJournal(dir);
});
