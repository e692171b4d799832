import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { messagingApi } from '@line/bot-sdk';
import type { LineClient } from '../shared/line/client.ts';
import { liffUrl, type LinkConfig } from '../shared/links.ts';
import type { Logger } from '../shared/logger.ts';
import { isSupervisorRole } from '../shared/cases/access.ts';

/** Bump the suffix whenever the layout or image changes, so a new menu is created. */
export const CITIZEN_MENU_NAME = 'rongrian-citizen-v1';
// Rendered from richmenu-citizen.html (headless Chromium, Thai font) and committed: 2500×843 is LINE's compact size.
const IMAGE_URL = new URL('./assets/richmenu-citizen.png', import.meta.url);

/** The English citizen menu: linked per user to those whose LINE language is English (never the default). */
export const CITIZEN_MENU_NAME_EN = 'rongrian-citizen-en-v1';
const IMAGE_URL_EN = new URL('./assets/richmenu-citizen-en.png', import.meta.url);
/** What the English menu sends: words the bot understands typed as well (bot/conversation/step.ts). */
export const CITIZEN_MENU_EN = ['File a complaint', 'Track my case', 'Contact an officer'] as const;

export function citizenMenu(lang: 'th' | 'en' = 'th'): messagingApi.RichMenuRequest {
  const third = Math.floor(2500 / 3);
  const area = (i: number, text: string): messagingApi.RichMenuArea => ({
    bounds: { x: i * third, y: 0, width: i === 2 ? 2500 - 2 * third : third, height: 843 },
    // Message actions: what the menu sends is what a person could type, so both paths are one path.
    action: { type: 'message', label: text, text },
  });
  return {
    size: { width: 2500, height: 843 },
    selected: true,
    name: lang === 'en' ? CITIZEN_MENU_NAME_EN : CITIZEN_MENU_NAME,
    chatBarText: lang === 'en' ? 'Menu' : 'เมนู / Menu',
    areas: (lang === 'en' ? CITIZEN_MENU_EN : ['แจ้งเรื่องร้องเรียน', 'ติดตามเรื่อง', 'ติดต่อเจ้าหน้าที่']).map((label, i) => area(i, label)),
  };
}

const englishMenus = new WeakMap<LineClient, Promise<string | undefined>>();

/** Finds or creates the English citizen menu once per LINE client (a failure is retried next time). */
export function englishRichMenu(line: LineClient, log: Logger): Promise<string | undefined> {
  let found = englishMenus.get(line);
  if (!found) {
    found = (async () => {
      const { richmenus } = await line.api.getRichMenuList();
      const existing = richmenus.find((m) => m.name === CITIZEN_MENU_NAME_EN);
      if (existing) return existing.richMenuId;
      const { richMenuId } = await line.api.createRichMenu(citizenMenu('en'));
      await line.blob.setRichMenuImage(richMenuId, new Blob([readFileSync(IMAGE_URL_EN)], { type: 'image/png' }));
      log.info({ richMenuId }, 'created English citizen rich menu');
      return richMenuId;
    })().catch((err: Error) => {
      englishMenus.delete(line);
      log.warn({ err: err.message }, 'English rich menu unavailable');
      return undefined;
    });
    englishMenus.set(line, found);
  }
  return found;
}

/** Finds the citizen menu on the channel or creates it (image and all) and makes it the default. */
export async function ensureRichMenu(line: LineClient, log: Logger): Promise<string> {
  const { richmenus } = await line.api.getRichMenuList();
  const found = richmenus.find((m) => m.name === CITIZEN_MENU_NAME);
  if (found) return found.richMenuId;
  const { richMenuId } = await line.api.createRichMenu(citizenMenu());
  const png = readFileSync(IMAGE_URL);
  await line.blob.setRichMenuImage(richMenuId, new Blob([png], { type: 'image/png' }));
  await line.api.setDefaultRichMenu(richMenuId);
  log.info({ richMenuId }, 'created citizen rich menu');
  return richMenuId;
}

/*
 * Officers' menus, linked per user when they register (`ลงทะเบียน <code>`), so they stop
 * seeing the citizen's. Heads and executives get หน่วยงานล่าช้า as well. Same compact size; the
 * images are rendered from richmenu-officer.html / richmenu-supervisor.html (bot/assets/render.ts).
 */
export const OFFICER_MENU_NAME = 'rongrian-officer-v1';
export const SUPERVISOR_MENU_NAME = 'rongrian-supervisor-v1';
export type OfficerMenuKind = 'officer' | 'supervisor';
/** What the menu buttons send (the bot answers the same words typed). */
export const MY_WORK_TEXT = 'งานของฉัน';
export const OFFICER_HELP_TEXT = 'วิธีใช้';
export const LATE_UNITS_TEXT = 'หน่วยงานล่าช้า';

export const officerMenuKind = (role: string): OfficerMenuKind => (isSupervisorRole(role) ? 'supervisor' : 'officer');

export function officerMenu(kind: OfficerMenuKind, links: LinkConfig): messagingApi.RichMenuRequest {
  const items: messagingApi.Action[] = [
    { type: 'message', label: MY_WORK_TEXT, text: MY_WORK_TEXT },
    ...(kind === 'supervisor' ? [{ type: 'message', label: LATE_UNITS_TEXT, text: LATE_UNITS_TEXT } as messagingApi.Action] : []),
    // The officer LIFF pages (the unit's cases); inside LINE when a LIFF id is configured.
    { type: 'uri', label: 'หน้าเจ้าหน้าที่', uri: liffUrl(links, '/officer') },
    { type: 'message', label: OFFICER_HELP_TEXT, text: OFFICER_HELP_TEXT },
  ];
  const w = Math.floor(2500 / items.length);
  // The page link is part of the menu: a deployment moved to another address gets a new menu.
  const linkTag = createHash('sha256').update(liffUrl(links, '/officer')).digest('hex').slice(0, 8);
  return {
    size: { width: 2500, height: 843 },
    selected: true,
    name: `${kind === 'supervisor' ? SUPERVISOR_MENU_NAME : OFFICER_MENU_NAME}-${linkTag}`,
    chatBarText: 'เมนู จนท.', // LINE allows 14 characters (Thai marks count)
    areas: items.map((action, i) => ({
      bounds: { x: i * w, y: 0, width: i === items.length - 1 ? 2500 - i * w : w, height: 843 },
      action,
    })),
  };
}

/** Finds the officers' menu of that kind on the channel or creates it (not the default: linked per user). */
export async function ensureOfficerMenu(line: LineClient, log: Logger, links: LinkConfig, kind: OfficerMenuKind): Promise<string> {
  const menu = officerMenu(kind, links);
  const { richmenus } = await line.api.getRichMenuList();
  const found = richmenus.find((m) => m.name === menu.name);
  if (found) return found.richMenuId;
  const { richMenuId } = await line.api.createRichMenu(menu);
  const png = readFileSync(new URL(`./assets/richmenu-${kind}.png`, import.meta.url));
  await line.blob.setRichMenuImage(richMenuId, new Blob([png], { type: 'image/png' }));
  log.info({ richMenuId, kind }, 'created officer rich menu');
  return richMenuId;
}
