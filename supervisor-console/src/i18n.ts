import { ref } from 'vue';

export type Locale = 'zh' | 'en';
export const locale = ref<Locale>(localStorage.getItem('yc.lang') === 'en' ? 'en' : 'zh');

const messages = {
  zh: {
    title: '大厅管理',
    username: '用户名',
    password: '密码',
    login: '登录',
    logout: '退出登录',
    counters: '窗口',
    window: '{n} 号窗口',
    queues: '排队情况',
    waiting: '等候',
    longest: '最长等候',
    expected: '预计等候',
    minutes: '{n} 分钟',
    alerts: '提醒',
    noAlerts: '暂无提醒',
    absence: '{n} 号窗口暂停服务已超过 15 分钟，请安排补岗（R6）',
    open: '开窗',
    close: '关窗',
    staff: '工作人员',
    'state.closed': '关闭',
    'state.open': '空闲',
    'state.calling': '叫号中',
    'state.serving': '办理中',
    'state.paused': '暂停服务',
    arrivals: '取号（每 15 分钟）',
    calls: '叫号（每 15 分钟）',
    waitingOverDay: '等候人数',
    waitDistribution: '等候时间分布',
    utilisation: '窗口利用率',
    online: '已连接',
    offline: '连接中断',
    connecting: '连接中',
    since: '{n} 分钟',
  },
  en: {
    title: 'Supervisor console',
    username: 'Username',
    password: 'Password',
    login: 'Sign in',
    logout: 'Sign out',
    counters: 'Counters',
    window: 'Window {n}',
    queues: 'Queues',
    waiting: 'Waiting',
    longest: 'Longest wait',
    expected: 'Expected wait',
    minutes: '{n} min',
    alerts: 'Alerts',
    noAlerts: 'No alerts',
    absence: 'Window {n} has been paused for over 15 minutes: arrange cover (R6)',
    open: 'Open',
    close: 'Close',
    staff: 'Staff',
    'state.closed': 'Closed',
    'state.open': 'Available',
    'state.calling': 'Calling',
    'state.serving': 'Serving',
    'state.paused': 'Paused',
    arrivals: 'Tickets issued (per 15 min)',
    calls: 'Calls (per 15 min)',
    waitingOverDay: 'Waiting tickets',
    waitDistribution: 'Wait time distribution',
    utilisation: 'Counter utilisation',
    online: 'Online',
    offline: 'Offline',
    connecting: 'Connecting',
    since: '{n} min',
  },
} as const;

export type MessageKey = keyof (typeof messages)['zh'];

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return messages[locale.value][key].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

export function setLocale(l: Locale) {
  locale.value = l;
  localStorage.setItem('yc.lang', l);
}
