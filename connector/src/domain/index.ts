export { ConnectorError, ConnectorErrorCode, isConnectorError } from './errors.js';
export {
  USCC_ALPHABET,
  isValidUscc,
  organisationCheckCharacter,
  usccCheckCharacter,
  validateUscc,
  type UsccProblem,
  type UsccValidation,
} from './uscc.js';
export { subjectToken, isSubjectToken, MIN_CONSORTIUM_KEY_BYTES } from './subject-token.js';
export { attributeToken, blindAttributes, normaliseLendingAttribute, type LendingAttributes } from './attribute-token.js';
export * from './enterprise.js';
