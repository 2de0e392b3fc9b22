/** Status codes (the first byte of every response payload) by name, from the shared spec. */
import { STATUS, STATUS_DOC, type StatusName } from './spec.ts';

const NAMES: (StatusName | undefined)[] = [];
for (const [name, code] of Object.entries(STATUS)) NAMES[code] = name as StatusName;

/** The name of status byte `code`, or `'UNKNOWN'` for a code the spec does not define. */
export function statusName(code: number): StatusName | 'UNKNOWN' {
  return NAMES[code] ?? 'UNKNOWN';
}

/** One-line description of status byte `code` for error messages. */
export function describeStatus(code: number): string {
  return `${statusName(code)} (${code}): ${STATUS_DOC[code] ?? 'status code not defined by this host'}`;
}
