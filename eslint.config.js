// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import pluginVue from 'eslint-plugin-vue';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use `as const` objects.' },
      ],
    },
  },
  ...[
    { files: ['server/src/engine/*.ts'], outside: '../*' },
    { files: ['server/src/engine/policies/*.ts'], outside: '../../*' },
  ].map(({ files, outside }) => ({
    // The engine is pure: it imports only the protocol and its own modules (STYLE.md).
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [outside], message: 'The engine imports only the protocol and itself.' },
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'http', 'net', 'os'],
              message: 'The engine does no IO.',
            },
            {
              group: ['express', 'socket.io', 'pino', 'ioredis', 'bullmq', 'mqtt'],
              message: 'The engine does no IO.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'Date', message: 'Time is an argument of the engine.' }],
    },
  })),
  {
    files: ['protocol/src/**/*.ts', 'edge-gateway/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@yichuang/server', '**/server/**'], message: 'Only the server imports the server.' },
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON bodies off the wire; asserting on them is the point, so `any` is allowed there.
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // Vue single-file components: Vue's recommended rules, TypeScript in <script lang="ts">.
  ...pluginVue.configs['flat/recommended'].map((c) => ({ ...c, files: ['**/*.vue'] })),
  {
    files: ['**/*.vue'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.vue'],
        projectService: false,
        project: false,
      },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/consistent-type-imports': 'off',
      // vue-tsc checks names; no-undef knows nothing of the browser's globals here.
      'no-undef': 'off',
      // Prettier owns the layout of templates.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
    },
  },
  {
    // Apps talk to the hub through the protocol only.
    files: ['display-wall/**', 'counter-panel/**', 'supervisor-console/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@yichuang/server', '**/server/**'], message: 'Apps never import the server.' },
          ],
        },
      ],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
);
