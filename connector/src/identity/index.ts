/** The institution's keys: ethers signer and libp2p key, kept on disk with mode 0600. */
export { KEYS_FILE_NAME, loadOrCreateInstitutionKeys, type InstitutionKeys } from './institution-keys.js';
