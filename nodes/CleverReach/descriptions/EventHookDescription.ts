import { checkTriggerOperation } from '../../shared/trigger/health';
import type { OperationDefinition } from '../../shared/model/operation';
import { cleverReachTriggerCheck, HOOK_EVENT_OPTIONS, HOOKS_PATH } from '../trigger';
import { CREDENTIAL, groupField } from './common';

/** Event hooks (/hooks/eventhook): what a CleverReach Trigger registered, checked. A package extra. */
export const eventHookOperations: OperationDefinition[] = [
	checkTriggerOperation({
		resource: 'eventHook',
		credential: CREDENTIAL,
		trigger: 'CleverReach Trigger',
		check: cleverReachTriggerCheck,
		// Source: CleverReach's webhook how-to (rest.cleverreach.com/howto/webhooks.php); blueDigit/CleverReach_IntegrationCore src/BusinessLogic/Proxy.php (hooks/eventhook, outside /v3).
		request: { method: 'GET', path: HOOKS_PATH },
		target: {
			...groupField('groupId'),
			required: false,
			main: true,
			description: "The trigger's Group (its receiver events are registered for it); leave empty for a trigger with form, group, filter or automation events only",
		},
		eventOptions: HOOK_EVENT_OPTIONS,
		defaultEvents: ['receiver.subscribed', 'receiver.unsubscribed'],
	}),
];
