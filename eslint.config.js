// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Modules that src/core must never import: platforms, I/O, storage, scheduling, logging. */
const forbiddenInCore = [
  'discord.js', 'grammy', '@grammyjs/*', 'keyv', '@keyv/*', 'node-cron', 'pino', 'pino-*', 'undici',
  'better-sqlite3', 'sqlite3', 'redis', 'ioredis', 'p-queue',
  'node:fs', 'node:fs/*', 'fs', 'fs/*', 'node:net', 'net', 'node:http', 'http', 'node:https', 'https',
  'node:dns', 'dns', 'node:dns/*', 'node:child_process', 'child_process', 'node:tls', 'tls',
  'node:dgram', 'dgram', 'node:worker_threads', 'node:process', 'node:readline', 'readline',
  '../adapters/*', '../../adapters/*', '../services/*', '../../services/*',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: forbiddenInCore, message: 'src/core is pure: no platform, I/O, storage or logging imports (see DESIGN.md).' }],
      }],
      'no-restricted-globals': ['error',
        { name: 'fetch', message: 'src/core does no I/O.' },
        { name: 'process', message: 'src/core reads no environment.' },
        { name: 'setTimeout', message: 'src/core has no clock.' },
        { name: 'setInterval', message: 'src/core has no clock.' },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
