/** Object identifiers, Azure-style: the id of a version ends in the version. */
export const secretId = (vault: string, name: string, version?: string) =>
  `coffer://${vault}/secrets/${name}${version ? `/${version}` : ''}`;
export const deletedSecretId = (vault: string, name: string) => `coffer://${vault}/deletedsecrets/${name}`;
