export {
  createRingDetector,
  RingDetector,
  type DetectedRing,
  type RingApplication,
  type RingDetectorInit,
  type RingSubject,
  type RingUpdate,
} from './ring-detector.js';
export { normaliseAddress, normaliseAttribute, normalisePerson, normalisePhone, RING_ATTRIBUTES, type RingAttribute } from './normalise.js';
export { ringSubjectOf } from './ring-subject.js';
export { RING_CHECK_PROTOCOL, RingService, type FraudRingCheck, type RingServiceComponents, type RingSummary } from './ring-service.js';
