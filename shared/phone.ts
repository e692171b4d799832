/**
 * Thai phone numbers as people type them: spaces and dashes removed, `0` + 8–9 digits
 * (`0812345678` mobile, `021234567` Bangkok landline) or the `+66` form (`+66 81 234 5678`).
 * Returns the normalised `0XXXXXXXX(X)` form, or undefined when it is not a Thai number.
 */
export function normaliseThaiPhone(input: string): string | undefined {
  const compact = input.replace(/[\s-]/g, '');
  if (/^0\d{8,9}$/.test(compact)) return compact;
  const intl = /^\+66(\d{8,9})$/.exec(compact);
  if (intl && !intl[1].startsWith('0')) return `0${intl[1]}`;
  return undefined;
}
