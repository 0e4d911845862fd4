import iconv from 'iconv-lite';
import type { SlipTicket } from '@yichuang/protocol';

// ESC/POS for 80 mm thermal printers as Chinese printers expect them: the printer's Chinese mode
// (FS &) with text in GB18030, the QR code drawn by the printer's own QR command (GS ( k), a large
// number, and a cut. A plain printer box prints these bytes as they are, without knowing the layout.
const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;

const INIT = [ESC, 0x40];
const CHINESE_ON = [FS, 0x26];
const align = (n: 0 | 1 | 2) => [ESC, 0x61, n];
/** Character size: width and height multipliers 1–8. */
const size = (w: number, h: number) => [GS, 0x21, ((w - 1) << 4) | (h - 1)];
const bold = (on: boolean) => [ESC, 0x45, on ? 1 : 0];
const feed = (lines: number) => [ESC, 0x64, lines];
const CUT = [GS, 0x56, 0x42, 0x00];

const text = (s: string) => [...iconv.encode(s, 'gb18030'), LF];

/** GS ( k: select model 2, module size, error correction M, store the data, print it. */
function qr(data: string): number[] {
  const bytes = [...Buffer.from(data, 'utf8')];
  const len = bytes.length + 3;
  return [
    ...[GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0x00],
    ...[GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, 0x06],
    ...[GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x31],
    ...[GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, 0x50, 0x30, ...bytes],
    ...[GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30],
  ];
}

/** The words printed on a slip, in the hall's language (Chinese by default). */
export type SlipWords = {
  yourNumber: string;
  ahead: string;
  expected: string;
  noWindow: string;
  scan: string;
  /** Printed on a slip issued while the hub was unreachable. */
  offline: string;
  /** R26: the expected call falls after closing time ({time}). */
  pastClosing: string;
};

export const SLIP_WORDS_ZH: SlipWords = {
  yourNumber: '您的号码',
  ahead: '前面还有 {n} 人',
  expected: '预计等候 {n} 分钟（{low}–{high} 分钟）',
  noWindow: '暂无窗口办理',
  scan: '扫码在手机上查看进度',
  offline: '网络恢复后自动排入队列，号码有效',
  pastClosing: '预计 {time} 下班后才能叫到，可咨询工作人员改约',
};

/** The ESC/POS bytes of a ticket slip for an 80 mm printer. */
export function slipBytes(t: SlipTicket, words: SlipWords = SLIP_WORDS_ZH, offline = false): Buffer {
  const fill = (s: string, n: number, low = n, high = n) =>
    s.replace('{n}', String(n)).replace('{low}', String(low)).replace('{high}', String(high));
  return Buffer.from([
    ...INIT,
    ...CHINESE_ON,
    ...align(1),
    ...bold(true),
    ...size(2, 2),
    ...text(t.hallName),
    ...bold(false),
    ...size(1, 1),
    ...text(words.yourNumber),
    ...size(4, 4),
    ...bold(true),
    ...text(t.number),
    ...bold(false),
    ...size(2, 2),
    ...text(t.serviceName),
    ...size(1, 1),
    ...text(fill(words.ahead, t.ahead)),
    ...text(t.wait === null ? words.noWindow : fill(words.expected, t.wait.minutes, t.wait.low, t.wait.high)),
    ...text(t.issuedAtText),
    ...(t.pastClosingText ? text(words.pastClosing.replace('{time}', t.pastClosingText)) : []),
    ...(offline ? text(words.offline) : []),
    ...qr(t.qr),
    ...text(words.scan),
    ...feed(4),
    ...CUT,
  ]);
}

/** What a slip's bytes print: its lines of text (decoded from GB18030) and its QR payload. For tests and tools. */
export function readSlip(bytes: Buffer): { lines: string[]; qr: string | null; cut: boolean } {
  const lines: string[] = [];
  let run: number[] = [];
  let qrData: string | null = null;
  let cut = false;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b === ESC) {
      i += bytes[i + 1] === 0x40 ? 2 : 3;
    } else if (b === FS) {
      i += 2;
    } else if (b === GS && bytes[i + 1] === 0x28 && bytes[i + 2] === 0x6b) {
      const len = bytes[i + 3]! | (bytes[i + 4]! << 8);
      if (bytes[i + 6] === 0x50) qrData = bytes.subarray(i + 8, i + 5 + len).toString('utf8');
      i += 5 + len;
    } else if (b === GS && bytes[i + 1] === 0x56) {
      cut = true;
      i += 4;
    } else if (b === GS) {
      i += 3;
    } else if (b === LF) {
      lines.push(iconv.decode(Buffer.from(run), 'gb18030'));
      run = [];
      i++;
    } else {
      run.push(b);
      i++;
    }
  }
  return { lines, qr: qrData, cut };
}
