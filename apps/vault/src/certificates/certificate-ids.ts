/** Object identifiers of certificates, their pending operations, issuers and contacts (Azure's URL shapes under coffer://). */
export const certificateId = (vault: string, name: string, version?: string) => `coffer://${vault}/certificates/${name}${version ? `/${version}` : ''}`;
export const deletedCertificateId = (vault: string, name: string) => `coffer://${vault}/deletedcertificates/${name}`;
export const pendingId = (vault: string, name: string) => `coffer://${vault}/certificates/${name}/pending`;
export const issuerId = (vault: string, name: string) => `coffer://${vault}/certificates/issuers/${name}`;
export const contactsId = (vault: string) => `coffer://${vault}/certificates/contacts`;
export const secretId = (vault: string, name: string, version?: string) => `coffer://${vault}/secrets/${name}${version ? `/${version}` : ''}`;
