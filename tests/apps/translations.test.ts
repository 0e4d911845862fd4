import { describe, expect, it } from 'vitest';
import { createAppI18n, messageKeys, type Messages } from '@yichuang/app-shell';
import { ErrorCode } from '@yichuang/protocol';
import wallZh from '../../display-wall/src/locales/zh-CN.js';
import wallEn from '../../display-wall/src/locales/en.js';
import panelZh from '../../counter-panel/src/locales/zh-CN.js';
import panelEn from '../../counter-panel/src/locales/en.js';
import consoleZh from '../../supervisor-console/src/locales/zh-CN.js';
import consoleEn from '../../supervisor-console/src/locales/en.js';

const APPS: Array<[string, Messages, Messages]> = [
  ['display-wall', wallZh, wallEn],
  ['counter-panel', panelZh, panelEn],
  ['supervisor-console', consoleZh, consoleEn],
];

describe('translations', () => {
  it.each(APPS)('%s has every key in both languages, each with a text', (_app, zh, en) => {
    expect(messageKeys(en)).toEqual(messageKeys(zh));
    const empty = (m: Messages) =>
      messageKeys(m).filter((k) => k.split('.').reduce<unknown>((o, p) => (o as Messages)[p], m) === '');
    expect(empty(zh)).toEqual(empty(en));
  });

  it('finds a key missing in one language', () => {
    const zh: Messages = { a: '甲', group: { b: '乙', c: '丙' } };
    const en: Messages = { a: 'A', group: { b: 'B' } };
    expect(messageKeys(en)).not.toEqual(messageKeys(zh));
  });

  it('shows no requirement ids to users (R-ids belong in code and docs)', () => {
    for (const [app, zh, en] of APPS)
      for (const m of [zh, en])
        for (const k of messageKeys(m)) {
          const text = k.split('.').reduce<unknown>((o, p) => (o as Messages)[p], m) as string;
          expect(text, `${app} ${k}`).not.toMatch(/\bR\d{1,2}\b|（R\d/);
        }
  });

  it('registers the protocol error texts once, for every code in both languages', () => {
    const { i18n } = createAppI18n({ zh: { a: '甲' }, en: { a: 'A' } }, 'zh');
    const messages = i18n.global.messages.value as Record<string, { errors: Record<string, string> }>;
    for (const lang of ['zh-CN', 'en'])
      expect(Object.keys(messages[lang]!.errors).sort()).toEqual([...ErrorCode.options].sort());
  });
});
