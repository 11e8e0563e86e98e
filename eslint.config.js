// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '.xinlian/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use crypto randomness (or a seeded PRNG in synthetic data).' },
      ],
    },
  },
  {
    // Chaincode must be deterministic: time comes from the transaction timestamp.
    files: ['chaincode/src/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use the transaction timestamp.' },
        { object: 'Math', property: 'random', message: 'Chaincode must be deterministic.' },
      ],
    },
  },
);
