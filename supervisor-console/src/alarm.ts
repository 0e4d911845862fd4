/**
 * A short two-tone alarm for a new critical alert. Browsers may refuse sound before the manager
 * has touched the page; the count on `document.body.dataset.alarms` is kept either way, so a test
 * (and a manager's screen reader) can tell the alarm went off.
 */
export function soundAlarm(): void {
  document.body.dataset.alarms = String(Number(document.body.dataset.alarms ?? 0) + 1);
  try {
    const ctx = new AudioContext();
    const gain = ctx.createGain();
    gain.gain.value = 0.2;
    gain.connect(ctx.destination);
    [880, 660, 880].forEach((hz, i) => {
      const osc = ctx.createOscillator();
      osc.frequency.value = hz;
      osc.connect(gain);
      osc.start(ctx.currentTime + i * 0.25);
      osc.stop(ctx.currentTime + i * 0.25 + 0.2);
    });
    setTimeout(() => void ctx.close(), 1_000);
  } catch {
    // No audio device (a kiosk PC without speakers): the visual alert stands alone.
  }
}
