export * from './sign-digest';
