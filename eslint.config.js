import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import jestPlugin from 'eslint-plugin-jest'
import prettier from 'eslint-config-prettier'
import tseslint from 'typescript-eslint'

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  },
  {
    files: ['__tests__/**/*.ts'],
    ...jestPlugin.configs['flat/recommended']
  },
  {
    // The harness's expectSuccess, expectFailure and expectInputError assert too.
    files: ['__tests__/**/*.ts'],
    rules: { 'jest/expect-expect': ['warn', { assertFunctionNames: ['expect', 'expect*'] }] }
  },
  {
    // Plain JavaScript runs under Node (test support, scripts): declare the Node globals it may use.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'setImmediate',
          'Buffer',
          'URL',
          'module',
          'require',
          '__dirname'
        ].map(name => [name, 'readonly'])
      )
    }
  },
  prettier
)
