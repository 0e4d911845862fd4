import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

/**
 * Run after the others, one file at a time: tests that load both cores on purpose (a start-up race
 * under CPU load), that wait for marks of the real clock, or that start whole clusters and kill them.
 */
const ALONE = [
  'tests/adapters/redis-startup.test.ts',
  'tests/e2e/closing-time.test.ts',
  'tests/e2e/live-rules.test.ts',
  'tests/soak/soak.test.ts',
  'tests/cluster/timers.test.ts',
  'tests/deploy/cluster-script.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two files at a time on the 2-core machines the suite runs on (vitest's default would be one):
    // most of the time goes to child processes, browsers and network waits, not to the test's own CPU.
    maxWorkers: 2,
    projects: [
      {
        // The hub, its adapters against the real Redis, child processes, and the browser flows.
        extends: true,
        test: {
          name: 'hub',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/apps/**', ...ALONE],
          pool: 'forks',
        },
      },
      {
        // Stores and components of the three apps, in a DOM.
        extends: true,
        plugins: [vue()],
        test: { name: 'apps', include: ['tests/apps/**/*.test.ts'], environment: 'happy-dom' },
      },
      {
        extends: true,
        test: {
          name: 'alone',
          include: ALONE,
          pool: 'forks',
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
