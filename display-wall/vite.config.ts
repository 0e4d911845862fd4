import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// Built into dist/ and served by the hub under /apps/display-wall/ (pages: /display, /kiosk, /t/…).
export default defineConfig({
  base: '/apps/display-wall/',
  plugins: [vue()],
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:3000', '/socket.io': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
