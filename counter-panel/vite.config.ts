import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// Built into dist/ and served by the hub under /apps/counter-panel/ (page: /counter).
export default defineConfig({
  base: '/apps/counter-panel/',
  plugins: [vue()],
  server: {
    port: 5174,
    proxy: { '/api': 'http://127.0.0.1:3000', '/socket.io': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
