import type { OperationDefinition, RequestSpec } from '../../shared/types';

/** An operation as the generator writes it: the shared definition plus how its body is encoded. */
export type GeneratedOperation = OperationDefinition & {
	/** Omitted: JSON. The token endpoints take form-encoded bodies. */
	bodyType?: RequestSpec['bodyType'];
	/** Marked deprecated in the later specification (1.18.25) while the seed (1.12.14) still documents it. */
	deprecated?: boolean;
	/** What a success answers with, where it is not JSON (rendered HTML, a downloaded file). */
	expects?: RequestSpec['expects'];
};
