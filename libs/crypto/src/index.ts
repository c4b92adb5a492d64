export * from './digest-info';
export * from './mgf1';
export * from './emsa-pss';
export * from './rsa-signature';
export * from './eme-oaep';
export * from './rsa-encryption';
export * from './ec-curves';
export * from './ecdsa-digest';
