/** The shared trigger kit: a provider folder fills these with its data and small functions. */
export * from './deliveryMemory';
export * from './handshake';
export * from './health';
export * from './webhookDelivery';
export * from './webhookLifecycle';
export * from './executionClaims';
export * from './webhookTrigger';
