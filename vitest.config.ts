import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        // The hub, its adapters against the real Redis, child processes, and the browser flows.
        extends: true,
        test: { name: 'hub', include: ['tests/**/*.test.ts'], exclude: ['tests/apps/**'], pool: 'forks' },
      },
      {
        // Stores and components of the three apps, in a DOM.
        extends: true,
        plugins: [vue()],
        test: { name: 'apps', include: ['tests/apps/**/*.test.ts'], environment: 'happy-dom' },
      },
    ],
  },
});
