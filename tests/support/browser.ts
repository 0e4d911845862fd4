import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startChildHub, type ChildHub } from './child-hub.js';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`.ci/run` installs it); never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium with the flags this closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Records what the page asks the speech engine to say, in `window.__spoken`, and ends each utterance. */
export const RECORD_SPEECH = `
  window.__spoken = [];
  const synth = window.speechSynthesis;
  if (synth) {
    synth.speak = (u) => { window.__spoken.push(u.text); setTimeout(() => u.onend && u.onend(new Event('end')), 20); };
  }
`;

/** Signs in on a staff app's sign-in page as a demo account (password `demo`). */
export async function signIn(p: Page, username: string): Promise<void> {
  await p.fill('input[name=username]', username);
  await p.fill('input[name=password]', 'demo');
  await p.click('button[type=submit]');
}

/**
 * A real hub in a child process (the built apps, a data folder of its own) and Chromium, for the
 * tests of one file: started before them, stopped and removed after.
 */
export function browserHall(
  /** The hub's environment beyond the defaults (a halls file written into its folder, say). */
  env: (dir: string) => Promise<Record<string, string>> = () => Promise.resolve({}),
): { readonly hub: ChildHub; readonly browser: Browser; readonly dir: string } {
  const ctx = {} as { hub: ChildHub; browser: Browser; dir: string };
  beforeAll(async () => {
    ctx.dir = await mkdtemp(join(tmpdir(), 'yc-e2e-'));
    ctx.hub = await startChildHub(ctx.dir, await env(ctx.dir));
    ctx.browser = await launchChromium();
  });
  afterAll(async () => {
    await ctx.browser?.close();
    ctx.hub?.child.kill('SIGKILL');
    if (ctx.dir) await rm(ctx.dir, { recursive: true, force: true });
  });
  return ctx;
}
