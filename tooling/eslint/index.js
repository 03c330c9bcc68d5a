// Shared flat config. Every workspace's eslint.config.js re-exports this.
import tseslint from 'typescript-eslint';

const envRule = {
  'no-restricted-properties': [
    'error',
    {
      object: 'process',
      property: 'env',
      message: 'Only src/config.ts reads process.env; pass configuration in.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  // Library and app sources: configuration comes only through config.ts.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config.ts', 'src/**/config.ts'],
    rules: envRule,
  },
);
