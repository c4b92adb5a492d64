/** Object identifiers, Azure-style: the kid of a version ends in the version. */
export const keyId = (vault: string, name: string, version?: string) => `coffer://${vault}/keys/${name}${version ? `/${version}` : ''}`;
export const deletedKeyId = (vault: string, name: string) => `coffer://${vault}/deletedkeys/${name}`;
export const rotationPolicyId = (vault: string, name: string) => `coffer://${vault}/keys/${name}/rotationpolicy`;
