import { defineConfig, type UserConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

/**
 * The build of every app: into `<app>/dist`, served by the hub under `/apps/<app>/` (its pages
 * come from the shared page table), and a dev server that proxies the API and socket.io to a
 * local hub. vue-i18n's feature flags are fixed so the bundle carries no legacy API.
 */
export function appConfig(app: string, devPort: number): UserConfig {
  return defineConfig({
    base: `/apps/${app}/`,
    plugins: [vue()],
    define: {
      __VUE_I18N_FULL_INSTALL__: false,
      __VUE_I18N_LEGACY_API__: false,
      __INTLIFY_PROD_DEVTOOLS__: false,
    },
    server: {
      port: devPort,
      proxy: { '/api': 'http://127.0.0.1:3000', '/socket.io': { target: 'http://127.0.0.1:3000', ws: true } },
    },
  });
}
