import { ref } from 'vue';
import { ElMessage } from 'element-plus';
import type { CommandInput, CommandReply, CommandType } from '@yichuang/protocol';
import { errorText } from '@yichuang/protocol';
import type { HallLink } from '@yichuang/protocol/client';
import type { Locale } from '../i18n.js';

/**
 * The acknowledged-action helper of the staff apps: a command is shown as done only when the hub
 * acknowledged it; a refusal is shown in the UI's language, as the hub wrote it in English.
 */
export function hallCommands(locale: () => Locale) {
  const busy = ref(false);
  const error = ref('');
  let link: HallLink | null = null;

  /** Sends a command and waits for the hub's answer: what it answered when done, else null. */
  async function ask<K extends CommandType>(type: K, payload: CommandInput<K>): Promise<CommandReply | null> {
    if (!link) return null;
    busy.value = true;
    error.value = '';
    const r = await link.send(type, payload);
    busy.value = false;
    if (!r.ok) {
      error.value = errorText(r.error, locale());
      ElMessage({ type: 'error', message: error.value, grouping: true });
    }
    return r.ok ? r.data : null;
  }
  /** Sends a command and waits for the hub's answer; true when it was done. */
  const act = async <K extends CommandType>(type: K, payload: CommandInput<K>) =>
    (await ask(type, payload)) !== null;

  return { busy, error, act, ask, attach: (l: HallLink | null) => (link = l) };
}
