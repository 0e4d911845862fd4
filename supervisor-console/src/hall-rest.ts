import { onMounted, onUnmounted } from 'vue';
import { useSessionStore } from '@yichuang/app-shell';
import { useHallStore } from './stores/hall.js';

/**
 * The console's REST reads (attendance, the audit log): the hall's API with the signed-in manager's
 * token, a JSON read (null when offline or refused: the card keeps what it showed), a CSV the
 * browser saves, and a read repeated every minute while the card is on screen.
 */
export function useHallRest() {
  const store = useHallStore();
  const session = useSessionStore();
  const url = (path: string) => `/api/v1/halls/${store.hall!.hall.id}${path}`;
  const headers = () => ({ authorization: `Bearer ${session.session?.token ?? ''}` });

  async function read<T>(path: string): Promise<T | null> {
    const res = await fetch(url(path), { headers: headers() }).catch(() => null);
    return res?.ok ? ((await res.json()) as T) : null;
  }

  async function download(path: string, filename: string): Promise<void> {
    const res = await fetch(url(path), { headers: headers() }).catch(() => null);
    if (!res?.ok) return;
    const href = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = href;
    a.download = filename;
    a.click();
    URL.revokeObjectURL(href);
  }

  function everyMinute(load: () => Promise<void>): void {
    let timer: ReturnType<typeof setInterval> | undefined;
    onMounted(() => {
      void load();
      timer = setInterval(() => void load(), 60_000);
    });
    onUnmounted(() => clearInterval(timer));
  }

  return { read, download, everyMinute };
}
