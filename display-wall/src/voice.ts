import { callPhrase } from '@yichuang/protocol';

export { callPhrase };

type Speech = Pick<SpeechSynthesis, 'speak' | 'cancel'>;

/**
 * Announces calls one after another, each after a chime: a call never talks over another, and a
 * recall is announced again. On/off and volume are per screen (kept in localStorage).
 */
export class Announcer {
  private readonly queue: string[] = [];
  private busy = false;
  enabled = localStorage.getItem('yc.voice') !== 'off';
  volume = Number(localStorage.getItem('yc.volume') ?? '1');

  constructor(
    private readonly speech: Speech | undefined = globalThis.speechSynthesis,
    private readonly lang: () => 'zh' | 'en' = () => 'zh',
  ) {}

  setEnabled(on: boolean) {
    this.enabled = on;
    localStorage.setItem('yc.voice', on ? 'on' : 'off');
    if (!on) {
      this.queue.length = 0;
      this.speech?.cancel();
    }
  }

  setVolume(v: number) {
    this.volume = Math.min(1, Math.max(0, v));
    localStorage.setItem('yc.volume', String(this.volume));
  }

  announce(number: string, counterNumber: number) {
    if (!this.enabled || !this.speech) return;
    this.queue.push(callPhrase(number, counterNumber, this.lang()));
    if (!this.busy) void this.next();
  }

  /** An emergency message (R38): said whatever the screen's voice setting, ahead of any waiting call. */
  urgent(text: string) {
    if (!this.speech) return;
    this.queue.unshift(text);
    if (!this.busy) void this.next();
  }

  private async next(): Promise<void> {
    const text = this.queue.shift();
    if (text === undefined) {
      this.busy = false;
      return;
    }
    this.busy = true;
    await chime(this.volume);
    await new Promise<void>((resolve) => {
      const u = new SpeechSynthesisUtterance(text);
      u.lang = this.lang() === 'zh' ? 'zh-CN' : 'en-US';
      u.volume = this.volume;
      u.rate = 0.9;
      u.onend = () => resolve();
      u.onerror = () => resolve();
      // A speech engine that never ends an utterance must not stall the queue.
      setTimeout(resolve, 8000);
      this.speech!.speak(u);
    });
    return this.next();
  }
}

/** A two-tone chime before each call. */
async function chime(volume: number): Promise<void> {
  const Ctx = globalThis.AudioContext;
  if (!Ctx || volume === 0) return;
  try {
    const ctx = new Ctx();
    for (const [i, freq] of [880, 660].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.value = 0.2 * volume;
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + i * 0.35);
      osc.stop(ctx.currentTime + i * 0.35 + 0.3);
    }
    await new Promise((r) => setTimeout(r, 750));
    await ctx.close();
  } catch {
    // No audio device: the announcement still goes on.
  }
}
