/** The staff shell's own texts, merged into each staff app's messages under `shell`. */
export const shellMessages = {
  zh: {
    username: '用户名',
    password: '密码',
    signIn: '登录',
    signOut: '退出登录',
    required: '请填写{field}',
    online: '已连接',
    offline: '连接中断',
    connecting: '连接中',
    language: 'English',
    languageLabel: '切换语言',
    working: '正在提交…',
  },
  en: {
    username: 'Username',
    password: 'Password',
    signIn: 'Sign in',
    signOut: 'Sign out',
    required: 'Please enter the {field}',
    online: 'Online',
    offline: 'Offline',
    connecting: 'Connecting',
    language: '中文',
    languageLabel: 'Switch language',
    working: 'Sending…',
  },
};
