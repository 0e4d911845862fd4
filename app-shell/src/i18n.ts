import { computed } from 'vue';
import { createI18n } from 'vue-i18n';
import { ERROR_TEXTS } from '@yichuang/protocol';
import { shellMessages } from './staff/messages.js';

/** The UI languages: Simplified Chinese by default, English on request. */
export type Locale = 'zh' | 'en';
const TAG = { zh: 'zh-CN', en: 'en' } as const;

/** The dotted paths of a message tree: the keys `t` accepts. */
export type MessagePath<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : MessagePath<T[K], `${P}${K}.`>;
}[keyof T & string];

/** A message tree: strings, or groups of them. */
export type Messages = { [key: string]: string | Messages };

/**
 * An app's vue-i18n instance with its zh-CN and en messages (the same keys: each app types its
 * en.ts as its zh-CN.ts), the current language as a ref, and a typed `t`.
 */
export function createAppI18n<M extends Messages>(messages: { zh: M; en: M }, initial: Locale) {
  const i18n = createI18n({
    legacy: false,
    locale: TAG[initial],
    fallbackLocale: 'zh-CN',
    // The staff shell's texts travel with every app's, under `shell`, and the protocol's error
    // texts under `errors` (one table in the protocol for every app).
    messages: {
      'zh-CN': { ...messages.zh, shell: shellMessages.zh, errors: ERROR_TEXTS.zh },
      en: { ...messages.en, shell: shellMessages.en, errors: ERROR_TEXTS.en },
    },
  });
  const global = i18n.global as unknown as {
    locale: { value: string };
    t: (key: string, params: Record<string, string | number>) => string;
  };
  const locale = computed<Locale>({
    get: () => (global.locale.value === 'en' ? 'en' : 'zh'),
    set: (l) => {
      global.locale.value = TAG[l];
    },
  });
  /** The message for `key` in the current language, with `{name}` placeholders filled. */
  const t = (key: MessagePath<M>, params: Record<string, string | number> = {}): string =>
    global.t(key, params);
  return { i18n, locale, t };
}

/** Every dotted key of a message tree, to check two languages hold the same keys. */
export function messageKeys(tree: Messages, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : messageKeys(v, `${prefix}${k}.`),
  );
}

/** Where the staff apps keep the language a person chose on this browser. */
export const STAFF_LANGUAGE = 'yc.lang';

/** The staff apps' languages: the one a person chose last on this browser (StaffApp keeps it), Chinese otherwise. */
export function createStaffI18n<M extends Messages>(messages: { zh: M; en: M }) {
  return createAppI18n(messages, localStorage.getItem(STAFF_LANGUAGE) === 'en' ? 'en' : 'zh');
}
