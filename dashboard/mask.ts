import { redactText } from '../shared/privacy/redact.ts';

/**
 * Personal data as officers outside the assigned unit see it (PDPA: least data). Enough is left to
 * tell two records apart on the phone with the assigned unit, nothing to reach the person.
 */

/** "สมชาย ใจดี" → "ส••• ใ•••" */
export function maskName(name: string | null | undefined): string {
  if (!name) return '–';
  return name.trim().split(/\s+/).map((w) => `${[...w][0] ?? ''}•••`).join(' ');
}

/** "0812345678" → "08•-•••-••78" */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '–';
  const d = phone.replace(/\D/g, '');
  return d.length < 4 ? '•••' : `${d.slice(0, 2)}•-•••-••${d.slice(-2)}`;
}

/** A LINE user id is a key to the person's account: nothing of it is shown. */
export function maskLineId(id: string | null | undefined): string {
  return id ? 'U•••••••• (ซ่อน · hidden)' : '–';
}

/** Addresses and map pins are hidden entirely; the district and province stay visible elsewhere. */
export function maskAddress(address: string | null | undefined): string {
  return address ? '•••••• (ซ่อน · hidden)' : '–';
}

/** Free text (description, result, notes): the story stays, the ID, phone, e-mail, LINE id and bank account go. */
export function maskFreeText<T extends string | null | undefined>(text: T): T {
  return redactText(text);
}
