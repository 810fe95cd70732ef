import type { FieldDefinition, OperationDefinition, RequestSpec } from '../../shared/model/operation';

/**
 * A field as the generator writes it. A secret text carries `typeOptions: { password: true }` written out
 * as n8n's package scanner reads it (node-param-type-options-password-missing); overrides.ts turns it into
 * the shared `password` flag.
 */
export type GeneratedField = FieldDefinition & { typeOptions?: { password: true }; fields?: GeneratedField[] };

/** An operation as the generator writes it: the shared definition plus how its body is encoded. */
export type GeneratedOperation = Omit<OperationDefinition, 'fields'> & {
	fields: GeneratedField[];
	/** Omitted: JSON. The token endpoints take form-encoded bodies. */
	bodyType?: RequestSpec['bodyType'];
	/** Marked deprecated in the later specification (1.18.25) while the seed (1.12.14) still documents it. */
	deprecated?: boolean;
	/** What a success answers with, where it is not JSON (rendered HTML, a downloaded file). */
	expects?: RequestSpec['expects'];
};
