// Shared lint rules for every workspace: typescript-eslint's recommended set, plus the architecture guard
// that nothing outside @kstreams/streams reaches into its internals or any package's src/.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/.venv/**', '**/target/**'] },
  ...tseslint.configs.recommended,
  {
    // Benchmarks and harness probes are plain CommonJS scripts run by node over the built packages.
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [
        { group: ['@kstreams/*/src', '@kstreams/*/src/*', '@kstreams/*/dist/*'], message: 'Import a package by its public entry point.' },
      ] }],
    },
  },
);
