/**
 * The LINE simulator itself: it must refuse what LINE refuses (spec-validated bodies, tokens, auth,
 * retry keys) and send webhooks exactly as LINE does. Real HTTP on 127.0.0.1; the webhook target is a
 * tiny express app standing in for the bot.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTPFetchError, messagingApi, validateSignature } from '@line/bot-sdk';
import { startLineSimulator } from '../simulator/server.ts';
import type { LineSimulator, SimUser } from '../simulator/server.ts';
import { validateCallbackRequest, validateOperation } from '../simulator/validator.ts';

const SECRET = 'test-channel-secret';
const TOKEN = 'test-channel-access-token';
const LOGIN_CHANNEL = '2000000001';

interface Delivery { raw: string; headers: Record<string, string | string[] | undefined>; body: any }

let clock = 1_780_000_000_000;
let sim: LineSimulator;
let receiver: Server;
const deliveries: Delivery[] = [];
let client: messagingApi.MessagingApiClient;
let blobClient: messagingApi.MessagingApiBlobClient;
let alice: SimUser;
let bob: SimUser;

beforeAll(async () => {
  const app = express();
  app.post('/webhook', express.raw({ type: () => true }), (req, res) => {
    const raw = (req.body as Buffer).toString('utf8');
    let body: any;
    try { body = JSON.parse(raw); } catch { body = undefined; }
    deliveries.push({ raw, headers: req.headers, body });
    res.status(200).send('OK');
  });
  receiver = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`;

  sim = await startLineSimulator({
    channelSecret: SECRET, channelAccessToken: TOKEN, webhookUrl,
    loginChannelId: LOGIN_CHANNEL, now: () => clock,
  });
  client = new messagingApi.MessagingApiClient({ channelAccessToken: TOKEN, baseURL: sim.url });
  blobClient = new messagingApi.MessagingApiBlobClient({ channelAccessToken: TOKEN, baseURL: sim.url });
  alice = sim.addUser({ displayName: 'สมหญิง ใจดี', language: 'th', pictureUrl: 'https://example.com/a.png' });
  bob = sim.addUser({ displayName: 'Bob', language: 'en' });
});

afterAll(async () => {
  await sim?.close();
  await new Promise((r) => receiver?.close(r));
});

afterEach(() => { deliveries.length = 0; });

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(sim.url + path, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = text; }
  return { status: res.status, headers: res.headers, json };
}

const push = (to: string, messages: unknown[], headers?: Record<string, string>) => api('POST', '/v2/bot/message/push', { to, messages }, headers);

describe('request bodies are validated against the LINE OpenAPI spec', () => {
  it('refuses a text message without text', async () => {
    const r = await push(alice.userId, [{ type: 'text' }]);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ message: 'The request body has 1 error(s)', details: [{ message: 'must be specified', property: 'messages[0].text' }] });
  });

  it('refuses an unknown message type', async () => {
    const r = await push(alice.userId, [{ type: 'txt', text: 'hi' }]);
    expect(r.status).toBe(400);
    expect(r.json.details).toEqual([{ message: expect.stringContaining('must be one of the following values'), property: 'messages[0].type' }]);
  });

  it('resolves discriminators several levels deep (flex → bubble → box → component)', async () => {
    const r = await push(alice.userId, [{
      type: 'flex', altText: 'เรื่องร้องเรียน',
      contents: {
        type: 'bubble',
        body: {
          type: 'box', layout: 'vertical',
          contents: [
            { type: 'text', text: 'ok' },
            { type: 'button' }, // a button needs an action
            { type: 'box', layout: 'horizontal', contents: [{ type: 'text', text: 'x', align: 'middle' }] },
            { type: 'txet', text: 'typo' },
          ],
        },
      },
    }]);
    expect(r.status).toBe(400);
    expect(r.json.message).toBe('The request body has 3 error(s)');
    expect(r.json.details).toEqual(expect.arrayContaining([
      { message: 'must be specified', property: 'messages[0].contents.body.contents[1].action' },
      { message: 'must be one of the following values: [start, end, center]', property: 'messages[0].contents.body.contents[2].contents[0].align' },
      { message: expect.stringContaining('must be one of the following values: [box, button'), property: 'messages[0].contents.body.contents[3].type' },
    ]));
  });

  it('refuses a quick reply with 14 items', async () => {
    const items = Array.from({ length: 14 }, (_, i) => ({ type: 'action', action: { type: 'message', label: `ข้อ ${i}`, text: `${i}` } }));
    const r = await push(alice.userId, [{ type: 'text', text: 'เลือก', quickReply: { items } }]);
    expect(r.status).toBe(400);
    expect(r.json.details).toEqual([{ message: 'Size must be between 0 and 13', property: 'messages[0].quickReply.items' }]);
  });

  it('refuses a postback data over 300 chars and a quick reply label over 20 (NON-SPEC)', async () => {
    const r = await push(alice.userId, [{
      type: 'text', text: 'เลือก',
      quickReply: { items: [
        { type: 'action', action: { type: 'message', label: 'ok', text: 'ok' } },
        { type: 'action', action: { type: 'message', label: 'ok', text: 'ok' } },
        { type: 'action', action: { type: 'postback', label: 'ป้ายยาวเกินยี่สิบตัวอักษรแน่นอน', data: 'x'.repeat(301) } },
      ] },
    }]);
    expect(r.status).toBe(400);
    expect(r.json.details).toEqual(expect.arrayContaining([
      { message: 'Length must be between 0 and 300', property: 'messages[0].quickReply.items[2].action.data' },
      { message: 'Length must be between 0 and 20', property: 'messages[0].quickReply.items[2].action.label' },
    ]));
  });

  it('applies the NON-SPEC text and altText limits', () => {
    const r = validateOperation('pushMessage', { to: alice.userId, messages: [
      { type: 'text', text: 'ก'.repeat(5001) },
      { type: 'flex', altText: 'a'.repeat(1501), contents: { type: 'bubble' } },
    ] });
    expect(r).toMatchObject({ ok: false, details: [
      { message: 'Length must be between 0 and 5000', property: 'messages[0].text' },
      { message: 'Length must be between 0 and 1500', property: 'messages[1].altText' },
    ] });
    expect(validateOperation('pushMessage', { to: alice.userId, messages: [{ type: 'text', text: 'ก'.repeat(5000) }] })).toEqual({ ok: true });
  });

  it('refuses more than 5 messages and a missing replyToken', async () => {
    const msgs = Array.from({ length: 6 }, () => ({ type: 'text', text: 'x' }));
    const r = await api('POST', '/v2/bot/message/reply', { messages: msgs });
    expect(r.json.details).toEqual([
      { message: 'must be specified', property: 'replyToken' },
      { message: 'Size must be between 1 and 5', property: 'messages' },
    ]);
  });

  it('exposes the validate endpoints', async () => {
    expect((await api('POST', '/v2/bot/message/validate/push', { messages: [{ type: 'text', text: 'hi' }] })).status).toBe(200);
    const bad = await api('POST', '/v2/bot/message/validate/reply', { messages: [{ type: 'sticker' }] });
    expect(bad.status).toBe(400);
    expect(bad.json.details.map((d: any) => d.property).sort()).toEqual(['messages[0].packageId', 'messages[0].stickerId']);
  });

  it('nothing invalid was recorded', () => {
    expect(sim.messagesFor(alice.userId)).toEqual([]);
  });
});

describe('sending', () => {
  it('accepts a reply (via the official SDK) and records it for the user', async () => {
    const sent = await sim.sendText(alice.userId, 'สวัสดีค่ะ');
    expect(sent.status).toBe(200);
    const replyToken = sent.events[0].replyToken;
    const res = await client.replyMessageWithHttpInfo({ replyToken, messages: [{ type: 'text', text: 'รับเรื่องแล้วค่ะ' }] });
    expect(res.httpResponse.headers.get('x-line-request-id')).toBeTruthy();
    expect(res.body.sentMessages).toHaveLength(1);
    expect(res.body.sentMessages[0]).toEqual({ id: expect.stringMatching(/^\d+$/), quoteToken: expect.any(String) });
    const got = await sim.waitForMessages(alice.userId, 1);
    expect(got[0]).toMatchObject({ via: 'reply', to: alice.userId, messages: [{ type: 'text', text: 'รับเรื่องแล้วค่ะ' }] });
  });

  it('accepts a push with a flex message and quick reply, in order after the reply', async () => {
    const flex = {
      type: 'flex', altText: 'เรื่องใหม่ #123',
      contents: { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [
        { type: 'text', text: 'เรื่องใหม่', weight: 'bold' },
        { type: 'button', style: 'primary', action: { type: 'postback', label: 'รับเรื่อง', data: 'accept=123', displayText: 'รับเรื่อง' } },
      ] } },
      quickReply: { items: [{ type: 'action', action: { type: 'location', label: 'ส่งตำแหน่ง' } }] },
    };
    const res = await client.pushMessage({ to: alice.userId, messages: [flex as messagingApi.FlexMessage], notificationDisabled: true });
    expect(res.sentMessages[0].id).toMatch(/^\d+$/);
    const all = sim.messagesFor(alice.userId);
    expect(all.map((m) => m.via)).toEqual(['reply', 'push']);
    expect(all[1]).toMatchObject({ to: alice.userId, notificationDisabled: true, messages: [flex] });
  });

  it('multicasts to known users and refuses 501 recipients', async () => {
    const ok = await api('POST', '/v2/bot/message/multicast', { to: [alice.userId, bob.userId], messages: [{ type: 'text', text: 'ประกาศ' }] });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({});
    expect(sim.messagesFor(bob.userId)).toEqual([expect.objectContaining({ via: 'multicast', to: bob.userId })]);
    const tooMany = await api('POST', '/v2/bot/message/multicast', { to: Array.from({ length: 501 }, () => bob.userId), messages: [{ type: 'text', text: 'x' }] });
    expect(tooMany.json.details).toEqual([{ message: 'Size must be between 1 and 500', property: 'to' }]);
  });

  it('refuses a push to an unknown or malformed recipient', async () => {
    const malformed = await push('nobody', [{ type: 'text', text: 'x' }]);
    expect(malformed.status).toBe(400);
    expect(malformed.json.message).toBe("The property, 'to', in the request body is invalid (line: 1, column: 7)");
    const unknown = await push('U' + 'f'.repeat(32), [{ type: 'text', text: 'x' }]);
    expect(unknown.status).toBe(400);
  });

  it('reply tokens are single use and expire (injected clock)', async () => {
    const first = await sim.sendText(bob.userId, 'hello');
    const token = first.events[0].replyToken;
    const reply = () => api('POST', '/v2/bot/message/reply', { replyToken: token, messages: [{ type: 'text', text: 'hi' }] });
    expect((await reply()).status).toBe(200);
    const again = await reply();
    expect(again.status).toBe(400);
    expect(again.json).toEqual({ message: 'Invalid reply token' });

    const second = await sim.sendText(bob.userId, 'again');
    clock += 60_001;
    const late = await api('POST', '/v2/bot/message/reply', { replyToken: second.events[0].replyToken, messages: [{ type: 'text', text: 'late' }] });
    expect(late.status).toBe(400);
    expect(late.json).toEqual({ message: 'Invalid reply token' });
    expect((await api('POST', '/v2/bot/message/reply', { replyToken: 'made-up', messages: [{ type: 'text', text: 'x' }] })).status).toBe(400);
  });

  it('a duplicate X-Line-Retry-Key answers 409 and is not delivered twice', async () => {
    const key = '0b8c9f3e-4a5d-4e6f-8a7b-1c2d3e4f5a6b';
    const before = sim.messagesFor(bob.userId).length;
    const first = await push(bob.userId, [{ type: 'text', text: 'once' }], { 'x-line-retry-key': key });
    expect(first.status).toBe(200);
    const dup = await push(bob.userId, [{ type: 'text', text: 'once' }], { 'x-line-retry-key': key });
    expect(dup.status).toBe(409);
    expect(dup.json.message).toBe('The retry key is already accepted');
    expect(dup.headers.get('x-line-accepted-request-id')).toBe(first.headers.get('x-line-request-id'));
    expect(sim.messagesFor(bob.userId).length).toBe(before + 1);
    expect(sim.messagesFor(bob.userId).at(-1)).toMatchObject({ retryKey: key });

    // The official SDK surfaces it as an HTTPFetchError with status 409.
    const err = await client.pushMessage({ to: bob.userId, messages: [{ type: 'text', text: 'once' }] }, key).catch((e) => e);
    expect(err).toBeInstanceOf(HTTPFetchError);
    expect(err.status).toBe(409);

    expect((await push(bob.userId, [{ type: 'text', text: 'x' }], { 'x-line-retry-key': 'not-a-uuid' })).status).toBe(400);
    // The window is 24 hours.
    clock += 24 * 60 * 60 * 1000 + 1;
    expect((await push(bob.userId, [{ type: 'text', text: 'next day' }], { 'x-line-retry-key': key })).status).toBe(200);
  });

  it('refuses a wrong or missing access token with 401', async () => {
    for (const headers of [{ authorization: 'Bearer wrong' }, { authorization: '' }]) {
      const r = await api('GET', '/v2/bot/info', undefined, headers);
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' });
    }
    const r = await api('POST', '/v2/bot/message/push', { to: alice.userId, messages: [{ type: 'text', text: 'x' }] }, { authorization: 'Bearer nope' });
    expect(r.status).toBe(401);
  });

  it('shows a loading animation for known users only', async () => {
    const ok = await api('POST', '/v2/bot/chat/loading/start', { chatId: alice.userId, loadingSeconds: 10 });
    expect(ok.status).toBe(202);
    expect(ok.json).toEqual({});
    expect((await api('POST', '/v2/bot/chat/loading/start', { chatId: alice.userId, loadingSeconds: 7 })).status).toBe(400);
    expect((await api('POST', '/v2/bot/chat/loading/start', { chatId: alice.userId, loadingSeconds: 65 })).status).toBe(400);
    expect((await api('POST', '/v2/bot/chat/loading/start', { chatId: 'U' + '0'.repeat(32) })).status).toBe(400);
  });

  it('injected faults: the next N sends get 429 (with Retry-After) or 500, deliver nothing, and are recorded', async () => {
    const before = sim.messagesFor(alice.userId).length;
    const calls = sim.requests.length;
    sim.injectFaults({ status: 429, count: 2, retryAfterSec: 3 });
    const first = await push(alice.userId, [{ type: 'text', text: 'limited' }], { 'x-line-retry-key': '1b8c9f3e-4a5d-4e6f-8a7b-1c2d3e4f5a6b' });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(first.json.message).toMatch(/rate limit/);
    // Not a send path: untouched.
    expect((await api('GET', '/v2/bot/info')).status).toBe(200);
    const err = await client.pushMessage({ to: alice.userId, messages: [{ type: 'text', text: 'limited' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(HTTPFetchError);
    expect(err.status).toBe(429);
    expect(err.headers.get('retry-after')).toBe('3');
    expect(sim.pendingFaults()).toBe(0);
    // The same retry key goes through once the burst is over: the faulted request was never accepted.
    expect((await push(alice.userId, [{ type: 'text', text: 'limited' }], { 'x-line-retry-key': '1b8c9f3e-4a5d-4e6f-8a7b-1c2d3e4f5a6b' })).status).toBe(200);
    expect(sim.messagesFor(alice.userId).length).toBe(before + 1);
    const logged = sim.requests.slice(calls).filter((r) => r.path === '/v2/bot/message/push');
    expect(logged.map((r) => [r.status, !!r.fault, r.retryKey])).toEqual([
      [429, true, '1b8c9f3e-4a5d-4e6f-8a7b-1c2d3e4f5a6b'], [429, true, undefined], [200, false, '1b8c9f3e-4a5d-4e6f-8a7b-1c2d3e4f5a6b'],
    ]);
    expect(logged.every((r) => typeof r.at === 'number')).toBe(true);

    // Over HTTP (for harnesses in another process), limited to a path.
    const ctl = (method: string, body?: unknown) => fetch(`${sim.url}/__sim/faults`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    expect((await ctl('POST', { status: 500, count: 1, paths: '/reply$' })).status).toBe(201);
    expect((await ctl('POST', { status: 418, count: 1 })).status).toBe(400);
    expect(await (await ctl('GET')).json()).toEqual({ pending: 1 });
    expect((await push(alice.userId, [{ type: 'text', text: 'push is fine' }])).status).toBe(200);
    const r = await api('POST', '/v2/bot/message/reply', { replyToken: 'any', messages: [{ type: 'text', text: 'x' }] });
    expect(r.status).toBe(500);
    sim.injectFaults({ status: 503, count: 5 });
    expect(await (await ctl('DELETE')).json()).toEqual({ cleared: 5 });
    expect((await push(alice.userId, [{ type: 'text', text: 'after clear' }])).status).toBe(200);
  });

  it('waitForMessages rejects with a clear message on timeout', async () => {
    await expect(sim.waitForMessages(bob.userId, 99, 50)).rejects.toThrow(/has \d+ of 99 expected/);
  });
});

describe('webhooks', () => {
  it('signs every delivery like LINE and sends spec-valid events', async () => {
    await sim.follow(alice.userId);
    await sim.sendText(alice.userId, 'ถนนพัง');
    await sim.sendPostback(alice.userId, 'action=pick', { date: '2026-07-01' });
    await sim.sendLocation(alice.userId, { latitude: 18.7883, longitude: 98.9853, title: 'จุดเกิดเหตุ', address: 'เชียงใหม่' });
    await sim.sendImage(alice.userId, Buffer.from([0xff, 0xd8, 0xff, 0xd9]), 'image/jpeg');
    await sim.unfollow(alice.userId);
    await sim.follow(alice.userId);
    expect(deliveries).toHaveLength(7);
    for (const d of deliveries) {
      expect(validateSignature(d.raw, SECRET, String(d.headers['x-line-signature']))).toBe(true);
      expect(d.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(d.headers['user-agent']).toBe('LineBotWebhook/2.0');
      expect(validateCallbackRequest(d.body)).toEqual({ ok: true });
      expect(d.body.destination).toBe(sim.botUserId);
      const [e] = d.body.events;
      expect(e).toMatchObject({ mode: 'active', deliveryContext: { isRedelivery: false }, source: { type: 'user', userId: alice.userId } });
      expect(e.webhookEventId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    }
    const types = deliveries.map((d) => d.body.events[0].type);
    expect(types).toEqual(['follow', 'message', 'postback', 'message', 'message', 'unfollow', 'follow']);
    expect(deliveries[0].body.events[0].follow).toEqual({ isUnblocked: false });
    expect(deliveries[6].body.events[0].follow).toEqual({ isUnblocked: true });
    expect(deliveries[5].body.events[0].replyToken).toBeUndefined();
    expect(deliveries[2].body.events[0].postback).toEqual({ data: 'action=pick', params: { date: '2026-07-01' } });
  });

  it('serves the content of an image the user sent', async () => {
    const bytes = Buffer.from('\x89PNG fake image bytes', 'binary');
    const sent = await sim.sendImage(bob.userId, bytes, 'image/png');
    const id = sent.events[0].message.id;
    const res = await fetch(`${sim.url}/v2/bot/message/${id}/content`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    // Same through the SDK's data-API client.
    const stream = await blobClient.getMessageContent(id);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(Buffer.from(c));
    expect(Buffer.concat(chunks)).toEqual(bytes);
    expect((await api('GET', '/v2/bot/message/123/content')).status).toBe(404);
  });

  it('redelivery keeps the webhookEventId and sets isRedelivery', async () => {
    const sent = await sim.sendText(bob.userId, 'ซ้ำ');
    const id = sent.events[0].webhookEventId;
    const again = await sim.redeliver(id);
    expect(again.status).toBe(200);
    const last = deliveries.at(-1)!.body.events[0];
    expect(last.webhookEventId).toBe(id);
    expect(last.deliveryContext).toEqual({ isRedelivery: true });
    expect(last.message).toEqual(sent.events[0].message);
    expect(validateCallbackRequest(deliveries.at(-1)!.body)).toEqual({ ok: true });
  });

  it('sendEvents can send several events, a bad signature, or none', async () => {
    const e1 = (await sim.sendText(bob.userId, 'a')).events[0];
    const e2 = (await sim.sendText(bob.userId, 'b')).events[0];
    deliveries.length = 0;
    await sim.sendEvents([e1, e2]);
    expect(deliveries[0].body.events).toHaveLength(2);
    await sim.sendEvents([e1], { signature: 'bad' });
    expect(deliveries[1].headers['x-line-signature']).toBe('bad');
    await sim.sendEvents([e1], { signature: null });
    expect(deliveries[2].headers['x-line-signature']).toBeUndefined();
    await sim.sendEvents([]);
    expect(deliveries[3].body).toEqual({ destination: sim.botUserId, events: [] });
    expect(validateCallbackRequest(deliveries[3].body)).toEqual({ ok: true });
  });
});

describe('profile, bot info, rich menus, misc', () => {
  it('returns profiles and 404 for unknown users', async () => {
    const r = await client.getProfile(alice.userId);
    expect(r).toEqual({ userId: alice.userId, displayName: 'สมหญิง ใจดี', language: 'th', pictureUrl: 'https://example.com/a.png' });
    expect((await api('GET', `/v2/bot/profile/U${'1'.repeat(32)}`)).json).toEqual({ message: 'Not found' });
    expect((await client.getBotInfo()).userId).toBe(sim.botUserId);
  });

  it('handles the rich menu life cycle', async () => {
    const menu = {
      size: { width: 2500, height: 843 }, selected: true, name: 'main', chatBarText: 'เมนู',
      areas: [{ bounds: { x: 0, y: 0, width: 1250, height: 843 }, action: { type: 'message', label: 'แจ้งเรื่อง', text: 'แจ้งเรื่อง' } }],
    };
    expect((await api('POST', '/v2/bot/richmenu', { ...menu, chatBarText: 'x'.repeat(15) })).json.details).toEqual([{ message: 'Length must be between 0 and 14', property: 'chatBarText' }]);
    const { richMenuId } = await client.createRichMenu(menu as messagingApi.RichMenuRequest);
    expect(richMenuId).toMatch(/^richmenu-[0-9a-f]{32}$/);
    // No image yet: cannot be linked.
    expect((await api('POST', `/v2/bot/user/${alice.userId}/richmenu/${richMenuId}`)).status).toBe(400);
    const png = new Blob([Buffer.from('\x89PNG....', 'binary')], { type: 'image/png' });
    await blobClient.setRichMenuImage(richMenuId, png);
    expect((await fetch(`${sim.url}/v2/bot/richmenu/nope/content`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'image/png' }, body: 'x' })).status).toBe(404);
    await client.linkRichMenuIdToUser(alice.userId, richMenuId);
    expect((await client.getRichMenuIdOfUser(alice.userId)).richMenuId).toBe(richMenuId);
    await client.setDefaultRichMenu(richMenuId);
    expect(sim.userRichMenu(bob.userId)).toBe(richMenuId);
    expect((await client.getRichMenuList()).richmenus.map((m) => m.richMenuId)).toEqual([richMenuId]);
    expect(sim.richMenus.get(richMenuId)).toEqual(menu);
    await client.deleteRichMenu(richMenuId);
    expect(sim.userRichMenu(alice.userId)).toBeUndefined();
    expect((await api('DELETE', `/v2/bot/richmenu/${richMenuId}`)).status).toBe(404);
  });

  it('answers 404 for unknown routes and 413 above 2 MB', async () => {
    expect(await api('GET', '/v2/bot/nothing-here')).toMatchObject({ status: 404, json: { message: 'Not found' } });
    const big = JSON.stringify({ to: alice.userId, messages: [{ type: 'text', text: 'x'.repeat(2 * 1024 * 1024) }] });
    expect((await api('POST', '/v2/bot/message/push', big)).status).toBe(413);
  });

  it('records every API call', () => {
    const calls = sim.requests.filter((r) => r.path === '/v2/bot/message/reply');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls[0]).toMatchObject({ method: 'POST', status: expect.any(Number), body: expect.objectContaining({ messages: expect.any(Array) }) });
  });
});

describe('LINE Login ID token verification', () => {
  const verify = async (form: Record<string, string>) => {
    const res = await fetch(`${sim.url}/oauth2/v2.1/verify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    return { status: res.status, json: await res.json() as any };
  };

  it('verifies a token for the right channel', async () => {
    const idToken = sim.issueIdToken(alice.userId);
    const r = await verify({ id_token: idToken, client_id: LOGIN_CHANNEL });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ iss: 'https://access.line.me', sub: alice.userId, aud: LOGIN_CHANNEL, amr: ['linesso'], name: 'สมหญิง ใจดี', picture: 'https://example.com/a.png' });
    expect(r.json.exp - r.json.iat).toBe(3600);
  });

  it('refuses a wrong audience, a forged token and an expired one', async () => {
    const idToken = sim.issueIdToken(bob.userId, { expiresInSec: 60 });
    const wrongAud = await verify({ id_token: idToken, client_id: '9999999999' });
    expect(wrongAud.status).toBe(400);
    expect(wrongAud.json.error).toBe('invalid_request');
    const [h, p, s] = idToken.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: alice.userId })).toString('base64url');
    expect((await verify({ id_token: `${h}.${forgedPayload}.${s}`, client_id: LOGIN_CHANNEL })).json).toEqual({ error: 'invalid_request', error_description: 'Invalid IdToken.' });
    expect((await verify({ id_token: 'garbage', client_id: LOGIN_CHANNEL })).json.error_description).toBe('Invalid IdToken.');
    clock += 61_000;
    expect((await verify({ id_token: idToken, client_id: LOGIN_CHANNEL })).json).toEqual({ error: 'invalid_request', error_description: 'IdToken expired.' });
  });
});

describe('demo page and /__sim control API', () => {
  it('serves the page and drives a user through the control API', async () => {
    const page = await fetch(sim.url + '/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="/ui/app.js"');
    const created = await fetch(`${sim.url}/__sim/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ displayName: 'เจ้าหน้าที่ ก', role: 'officer', language: 'th' }) });
    expect(created.status).toBe(201);
    const officer = await created.json() as any;
    expect(officer.userId).toMatch(/^U[0-9a-f]{32}$/);
    const sent = await fetch(`${sim.url}/__sim/users/${officer.userId}/text`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'สวัสดี' }) });
    expect(sent.status).toBe(200);
    expect(deliveries.at(-1)!.body.events[0].message.text).toBe('สวัสดี');
    await push(officer.userId, [{ type: 'text', text: 'มีเรื่องใหม่' }]);
    const chat = await (await fetch(`${sim.url}/__sim/users/${officer.userId}/messages`)).json() as any;
    expect(chat.entries.map((e: any) => e.from)).toEqual(['user', 'bot']);
    // A simple (CORS-safelisted) request cannot drive the control API.
    const simple = await fetch(`${sim.url}/__sim/users/${officer.userId}/follow`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(simple.status).toBe(415);
  });
});
