import { describe, expect, it } from 'vitest';
import type { SlipTicket } from '@yichuang/protocol';
import { DEVICE_CHANNELS, parseDevicePayload } from '@yichuang/protocol';
import { readSlip, slipBytes } from '../../edge-gateway/src/escpos.js';

const ticket: SlipTicket = {
  hallName: '示范市政务服务中心',
  number: 'D012',
  serviceName: '不动产登记（含抵押、转移、变更登记）',
  ahead: 7,
  wait: { minutes: 35, low: 22, high: 51 },
  issuedAt: Date.UTC(2026, 10, 28, 1, 5),
  issuedAtText: '2026-11-28 09:05',
  qr: 'http://hall.example/t/5f1c2a9e-3b7d-4c1e-9a55-1f2e3d4c5b6a',
  pastClosingText: null,
};

describe('the ESC/POS slip for an 80 mm printer', () => {
  it('decodes back to the number, the service name (GB18030) and the QR payload, and ends with a cut', () => {
    const bytes = slipBytes(ticket);
    const slip = readSlip(bytes);
    expect(slip.lines).toContain('D012');
    expect(slip.lines).toContain('不动产登记（含抵押、转移、变更登记）');
    expect(slip.lines).toContain('前面还有 7 人');
    expect(slip.lines).toContain('预计等候 35 分钟（22–51 分钟）');
    expect(slip.qr).toBe(ticket.qr);
    expect(slip.cut).toBe(true);
    // The printer's Chinese mode is switched on before any text, and the text is GB18030, not UTF-8.
    expect([...bytes.subarray(2, 4)]).toEqual([0x1c, 0x26]);
    expect(bytes.includes(Buffer.from('不动产', 'utf8'))).toBe(false);
  });

  it('says so when no window serves the service now', () => {
    expect(readSlip(slipBytes({ ...ticket, wait: null })).lines).toContain('暂无窗口办理');
  });

  it('says when the turn is expected after closing time (R26), and only then', () => {
    expect(readSlip(slipBytes({ ...ticket, pastClosingText: '17:00' })).lines).toContain(
      '预计 17:00 下班后才能叫到，可咨询工作人员改约',
    );
    expect(readSlip(slipBytes(ticket)).lines.some((l) => l.includes('下班'))).toBe(false);
  });

  it('fits the print channel of the device protocol', () => {
    const payload = {
      pressId: 'press-000001',
      ticket,
      escpos: slipBytes(ticket).toString('base64'),
    };
    expect(parseDevicePayload('printer/print', payload).success).toBe(true);
    expect(DEVICE_CHANNELS['printer/print'].qos).toBe(2);
  });
});
