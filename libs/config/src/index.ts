export * from './coffer-config';
