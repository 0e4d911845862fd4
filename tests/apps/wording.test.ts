import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_TEXT_ZH, ErrorCode, errorText } from '@yichuang/protocol';

/** The standard's forbidden phrases (附录D), by their telling fragments. */
const FORBIDDEN = [
  '我不知道',
  '你去问',
  '说不行就是不行',
  '不归我管',
  '急什么',
  '正忙着',
  '已经说过了',
  '怎么还问',
  '怎么不说清楚',
  '找领导去',
  '我管不着',
  '快点',
  '我下班了',
  '你自己看',
  '你去投诉',
];

const files = [
  'protocol/src/messages.ts',
  'display-wall/src/i18n.ts',
  'counter-panel/src/i18n.ts',
  'supervisor-console/src/i18n.ts',
  'display-wall/src/voice.ts',
];

describe('what the product says (R37)', () => {
  it('has a Chinese text for every error code, and English keeps the hub’s message', () => {
    for (const code of ErrorCode.options) expect(ERROR_TEXT_ZH[code].length).toBeGreaterThan(3);
    expect(errorText({ code: 'queue-empty', message: 'Nobody is waiting.' }, 'en')).toBe(
      'Nobody is waiting.',
    );
    expect(errorText({ code: 'queue-empty', message: 'Nobody is waiting.' }, 'zh')).toBe(
      '目前没有等候的号码。',
    );
  });

  it('never uses a forbidden phrase of 附录D in any text it shows or speaks', async () => {
    for (const f of files) {
      const text = await readFile(join(process.cwd(), f), 'utf8');
      for (const phrase of FORBIDDEN) expect(text, `${f} says “${phrase}”`).not.toContain(phrase);
    }
  });
});
