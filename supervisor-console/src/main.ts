import { createApp } from 'vue';
import { createPinia } from 'pinia';
import '@yichuang/app-shell/element-styles';
import App from './App.vue';
import { i18n } from './i18n.js';
import { router } from './router.js';

createApp(App).use(createPinia()).use(router).use(i18n).mount('#app');
