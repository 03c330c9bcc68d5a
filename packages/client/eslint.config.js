export { default } from '@oip/eslint-config';
