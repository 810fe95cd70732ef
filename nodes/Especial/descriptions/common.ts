/** The credential every Especial operation authenticates with. */
export const ESPECIAL_CREDENTIAL = 'especialApi';
