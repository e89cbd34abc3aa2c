import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'test/interop/**', '.venv/**', '.venv-storage/**', '.cache/**'] },
  js.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Time and randomness enter through the injected Clock and RandomSource only (README: Architecture).
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Read time from the injected Clock.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Read time from the injected Clock.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Use the injected RandomSource.' },
      ],
    },
  },
  // examples/ is a user's code: it lives in real time.
  { files: ['src/core/clock.ts', 'test/**', 'bench/**', 'scripts/**', 'examples/**'], rules: { 'no-restricted-syntax': 'off' } },
  // Plain Node scripts (scripts/*.mjs) run outside TypeScript: give them Node's globals.
  { files: ['**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
