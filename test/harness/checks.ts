/**
 * Yes/no forms of shipped checks, for tests that list values which pass or fail. The shipped code asks the
 * checks for the problem (emailProblem, urlProblem) or uses the vocabulary directly (EMAIL_EVENTS).
 */
import { EMAIL_EVENTS } from '../../nodes/shared/trigger/events';
import { emailProblem, urlProblem } from '../../nodes/shared/input/validation';

/** Whether the shipped email check accepts the address. */
export const isEmail = (value: string): boolean => emailProblem(value) === undefined;

/** Whether the shipped URL check accepts the text as an http(s) URL. */
export const isHttpUrl = (value: string): boolean => urlProblem(value) === undefined;

/** Whether a name is one of the package's event names (what a trigger's Events option offers). */
export const isEmailEventName = (name: string): boolean => (EMAIL_EVENTS as readonly string[]).includes(name);
