/**
 * This screen's own id, drawn once and kept in its browser: the hub counts the screens that showed an
 * emergency by it (delivery receipts, R38). It names a browser, never a person.
 */
export function screenId(): string {
  let id = localStorage.getItem('yc.screen');
  if (!id) {
    id = `scr-${crypto.randomUUID().slice(0, 12)}`;
    localStorage.setItem('yc.screen', id);
  }
  return id;
}
