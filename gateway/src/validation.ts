/**
 * Request validation: TypeBox's compiler for every schema (bodies are not coerced; query and
 * path strings are converted), the `uscc` string format, and readable 400 messages.
 */
import type { FastifySchemaValidationError } from 'fastify';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Format from 'typebox/format';
import { USCC_FORMAT } from './schemas/common.js';
import { isUsccFormat } from './uscc-format.js';

export const validatorCompiler = TypeBoxValidatorCompiler;

/** Registers the gateway's string formats with TypeBox. Idempotent. */
export function registerFormats(): void {
  Format.Set(USCC_FORMAT, (value) => isUsccFormat(value));
}

const MAX_REPORTED = 3;

function describe(e: FastifySchemaValidationError, dataVar: string): string {
  const where = `${dataVar}${e.instancePath}`;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = params['additionalProperties'];
      const names = Array.isArray(extra) ? extra.join(', ') : String(extra);
      return `${where} has unknown field(s): ${names}`;
    }
    case 'required': {
      const missing = params['requiredProperties'] ?? params['missingProperty'];
      const names = Array.isArray(missing) ? missing.join(', ') : String(missing);
      return `${where} is missing required field(s): ${names}`;
    }
    case 'format':
      if (params['format'] === USCC_FORMAT) {
        return `${where} is not a valid unified social credit code (18 characters, GB 32100-2015 check character)`;
      }
      return `${where} must be a ${String(params['format'])} string`;
    case 'pattern':
      return `${where} has the wrong format (must match ${String(params['pattern'] ?? 'the documented pattern')})`;
    default:
      return `${where} ${e.message ?? 'is invalid'}`;
  }
}

/**
 * Turns validation errors into one message such as
 * `body/events/0/uscc is not a valid unified social credit code …; body has unknown field(s): x`.
 * TypeBox reports an unknown field twice (`schema is false` and `additionalProperties`); the
 * first is dropped.
 */
export function schemaErrorFormatter(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const useful = errors.filter((e) => !(e.keyword === 'boolean' && e.schemaPath.endsWith('additionalProperties')));
  const list = (useful.length > 0 ? useful : errors).slice(0, MAX_REPORTED).map((e) => describe(e, dataVar));
  const more = useful.length > MAX_REPORTED ? ` (and ${useful.length - MAX_REPORTED} more)` : '';
  return new Error(`${list.join('; ')}${more}`);
}
