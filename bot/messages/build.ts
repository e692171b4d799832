import type { messagingApi } from '@line/bot-sdk';

export type Message = messagingApi.Message;
export type QuickReplyItem = messagingApi.QuickReplyItem;

/** LINE shows at most 13 quick-reply buttons. */
export const MAX_QUICK_REPLIES = 13;

export function text(body: string, quick?: QuickReplyItem[]): messagingApi.TextMessage {
  const msg: messagingApi.TextMessage = { type: 'text', text: body.length > 5000 ? `${body.slice(0, 4999)}…` : body };
  if (quick?.length) msg.quickReply = { items: quick.slice(0, MAX_QUICK_REPLIES) };
  return msg;
}

/** Postback button: `label` on the button (≤ 20 chars), `displayText` what the chat shows as the user's answer. */
export function postbackItem(label: string, data: string, displayText = label): QuickReplyItem {
  return { type: 'action', action: { type: 'postback', label: label.slice(0, 20), data, displayText } };
}

export function messageItem(label: string, textToSend = label): QuickReplyItem {
  return { type: 'action', action: { type: 'message', label: label.slice(0, 20), text: textToSend } };
}

/** Opens the phone's camera / photo library straight from the chat (no hunting for LINE's "+"). */
export function cameraItem(label: string, source: 'camera' | 'cameraRoll'): QuickReplyItem {
  return { type: 'action', action: { type: source, label: label.slice(0, 20) } };
}

export function locationItem(label: string): QuickReplyItem {
  return { type: 'action', action: { type: 'location', label: label.slice(0, 20) } };
}

/** Postback data carries the step it belongs to, so a button pressed from an old message is recognised as stale. */
export function postbackData(step: string, action: string, value = ''): string {
  return new URLSearchParams(value ? { s: step, a: action, v: value } : { s: step, a: action }).toString();
}
