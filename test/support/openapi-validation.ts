import { Validator } from "@seriousme/openapi-schema-validator";

/** What the OpenAPI validator says of a document: valid, or why not. */
export interface OpenApiVerdict {
  readonly valid: boolean;
  /** The validator's errors, as JSON text; "" when valid. */
  readonly errors: string;
  /** The OpenAPI version the validator checked against, e.g. "3.1". */
  readonly version: string;
}

/**
 * Validates an OpenAPI document against the official schema of its version
 * (@seriousme/openapi-schema-validator), then resolves every `$ref`, which
 * throws on one that points nowhere.
 */
export async function validateOpenApi(document: Record<string, unknown>): Promise<OpenApiVerdict> {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document));
  if (!result.valid) {
    return { valid: false, errors: JSON.stringify(result.errors, null, 2), version: validator.version };
  }
  try {
    validator.resolveRefs();
  } catch (error) {
    return { valid: false, errors: error instanceof Error ? error.message : String(error), version: validator.version };
  }
  return { valid: true, errors: "", version: validator.version };
}
