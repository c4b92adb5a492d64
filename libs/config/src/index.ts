export * from './coffer-config';
export * from './private-files';
