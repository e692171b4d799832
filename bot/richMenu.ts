import { readFileSync } from 'node:fs';
import type { messagingApi } from '@line/bot-sdk';
import type { LineClient } from '../shared/line/client.ts';
import type { Logger } from '../shared/logger.ts';

/** Bump the suffix whenever the layout or image changes, so a new menu is created. */
export const CITIZEN_MENU_NAME = 'rongrian-citizen-v1';
// Rendered from richmenu-citizen.html (headless Chromium, Thai font) and committed: 2500×843 is LINE's compact size.
const IMAGE_URL = new URL('./assets/richmenu-citizen.png', import.meta.url);

export function citizenMenu(): messagingApi.RichMenuRequest {
  const third = Math.floor(2500 / 3);
  const area = (i: number, text: string): messagingApi.RichMenuArea => ({
    bounds: { x: i * third, y: 0, width: i === 2 ? 2500 - 2 * third : third, height: 843 },
    // Message actions: what the menu sends is what a person could type, so both paths are one path.
    action: { type: 'message', label: text, text },
  });
  return {
    size: { width: 2500, height: 843 },
    selected: true,
    name: CITIZEN_MENU_NAME,
    chatBarText: 'เมนู / Menu',
    areas: [area(0, 'แจ้งเรื่องร้องเรียน'), area(1, 'ติดตามเรื่อง'), area(2, 'ติดต่อเจ้าหน้าที่')],
  };
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
