type Clocked = { at: number; seq: number; run: () => void };

/** A binary heap of timed events (earliest first; equal times in the order they were scheduled). */
export class Agenda {
  private heap: Clocked[] = [];
  private seq = 0;
  get size() {
    return this.heap.length;
  }
  push(at: number, run: () => void) {
    const h = this.heap;
    h.push({ at, seq: this.seq++, run });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (before(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }
  pop(): Clocked | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}
const before = (a: Clocked, b: Clocked) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
