export * from './expiry-notices';
