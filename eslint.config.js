// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use `as const` objects.' }],
    },
  },
  {
    // The engine is pure: it imports only the protocol and its own modules (STYLE.md).
    files: ['server/src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'crypto', 'http', 'net', 'os'], message: 'The engine does no IO.' },
            { group: ['../*', '!../engine/*', '!../policies/*'], message: 'The engine imports only protocol.' },
            { group: ['express', 'socket.io', 'pino', 'ioredis', 'bullmq', 'mqtt'], message: 'The engine does no IO.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'Date', message: 'Time is an argument of the engine.' }],
    },
  },
  {
    files: ['protocol/src/**/*.ts', 'edge-gateway/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@yichuang/server', '**/server/**'], message: 'Only the server imports the server.' }] }],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
);
