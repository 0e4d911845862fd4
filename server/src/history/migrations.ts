import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** A schema migration kept in the repository: `server/migrations/{dialect}/NNN_name.sql`. */
export type Migration = { version: number; name: string; sql: string };

/** The migrations of a dialect, in version order. */
export async function migrations(dialect: 'sqlite' | 'postgres'): Promise<Migration[]> {
  const dir = fileURLToPath(new URL(`../../migrations/${dialect}/`, import.meta.url));
  const out: Migration[] = [];
  for (const file of (await readdir(dir)).sort()) {
    const m = /^(\d+)_([\w-]+)\.sql$/.exec(file);
    if (!m) continue;
    out.push({ version: Number(m[1]), name: m[2]!, sql: await readFile(dir + file, 'utf8') });
  }
  return out;
}
