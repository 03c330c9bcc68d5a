import base from '@oip/eslint-config';

// Benchmarks start apps as child processes and hand them an environment: they may read it.
export default [...base, { files: ['src/**/*.ts'], rules: { 'no-restricted-properties': 'off' } }];
