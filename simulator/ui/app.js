// Demo page of the LINE simulator: play citizens and officers, see what the bot sent them and press
// its buttons. Everything the bot sends is untrusted: it is only ever placed with textContent /
// element properties, never innerHTML, and only http(s) URLs are followed or loaded.

const $ = (id) => document.getElementById(id);

const state = {
  users: [],
  current: null, // userId
  entries: [],
  renderedKey: '',
  richMenuId: null,
  richMenus: new Map(), // id -> { menu, hasImage }
  pendingPicker: null,
  followLatest: true, // keep the chat scrolled to the newest message
};

// Approximate coordinates; the address is the one an officer would expect to read.
const LOCATION_PRESETS = [
  {
    name: 'ศาลากลางจังหวัดเชียงใหม่ (Chiang Mai City Hall)',
    title: 'ศาลากลางจังหวัดเชียงใหม่',
    address: 'ศาลากลางจังหวัดเชียงใหม่ ถนนโชตนา ตำบลช้างเผือก อำเภอเมืองเชียงใหม่ เชียงใหม่ 50300',
    latitude: 18.8394,
    longitude: 98.9692,
  },
  {
    name: 'ประตูท่าแพ (Tha Phae Gate)',
    title: 'ประตูท่าแพ',
    address: 'ถนนท่าแพ ตำบลช้างคลาน อำเภอเมืองเชียงใหม่ เชียงใหม่ 50100',
    latitude: 18.7877,
    longitude: 98.9934,
  },
  { name: 'กำหนดเอง (Custom)', title: '', address: '', latitude: '', longitude: '' },
];

// ------------------------------------------------------------------ helpers

/** Builds an element. Children are nodes or strings (strings become text nodes, never markup). */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k in el) el[k] = v;
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const bi = (th, en) => [th, ' ', h('small', {}, en)];

function safeUrl(u) {
  return typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null;
}

/**
 * The LINE app opens a LIFF page as the person using the chat; the demo LIFF page learns who that is
 * from `?user=` (and then asks this simulator for their ID token).
 */
function asChatUser(u) {
  try {
    const url = new URL(u);
    if (state.current && /\/liff\/?$/.test(url.pathname)) {
      url.searchParams.set('user', state.current);
      return url.href;
    }
  } catch { /* not a URL: left as it is */ }
  return u;
}

/** Text with its http(s) URLs as links, as LINE shows them; built from text nodes and <a> only. */
function linkified(text) {
  const parts = [];
  let last = 0;
  for (const m of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    parts.push(text.slice(last, m.index));
    const href = m[0];
    parts.push(h('a', { href: asChatUser(href), target: '_blank', rel: 'noopener noreferrer' }, href));
    last = m.index + href.length;
  }
  parts.push(text.slice(last));
  return parts;
}

function safeColor(c) {
  return typeof c === 'string' && /^#[0-9a-f]{6}([0-9a-f]{2})?$/i.test(c) ? c : null;
}

async function call(method, path, body, contentType = 'application/json') {
  const init = { method, headers: {} };
  if (method !== 'GET') {
    init.headers['content-type'] = contentType;
    init.body = body === undefined ? '{}' : contentType === 'application/json' ? JSON.stringify(body) : body;
  }
  const res = await fetch(path, init);
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.message || `HTTP ${res.status}`);
  return data;
}

function setStatus(text, isError = false) {
  const el = $('status');
  el.textContent = text;
  el.classList.toggle('error', isError);
}

/** Runs a user action against the bot and reports the webhook result. */
async function userAction(kind, body, contentType) {
  if (!state.current) return;
  try {
    const r = await call('POST', `/__sim/users/${state.current}/${kind}`, body, contentType);
    setStatus(`webhook → HTTP ${r.status}`, r.status !== 200);
  } catch (err) {
    setStatus(`ส่งไม่สำเร็จ (failed): ${err.message}`, true);
  }
  await refreshChat();
}

// ------------------------------------------------------------------ actions (buttons the bot sent)

function doAction(action) {
  if (!action || typeof action !== 'object') return;
  switch (action.type) {
    case 'message':
      return userAction('text', { text: String(action.text ?? '') });
    case 'postback':
      return userAction('postback', { data: String(action.data ?? ''), displayText: action.displayText ?? action.text });
    case 'datetimepicker':
      return openPicker(action);
    case 'location':
      return openLocationForm();
    case 'camera':
    case 'cameraRoll':
      return $('file').click();
    case 'uri': {
      const url = safeUrl(action.uri);
      if (url) window.open(asChatUser(url), '_blank', 'noopener,noreferrer');
      else setStatus(`ลิงก์นี้เปิดในเดโมไม่ได้ (cannot open here): ${action.uri}`, true);
      return;
    }
    case 'clipboard':
      navigator.clipboard?.writeText(String(action.clipboardText ?? ''));
      return setStatus('คัดลอกแล้ว (copied)');
    case 'richmenuswitch':
      return userAction('postback', { data: String(action.data ?? '') });
    default:
      setStatus(`ไม่รองรับ action (unsupported): ${action.type}`, true);
  }
}

function actionButton(action, className = 'action') {
  const label = action?.label ?? action?.text ?? action?.type ?? '?';
  return h('button', { type: 'button', class: className, onclick: () => doAction(action) }, label);
}

function openPicker(action) {
  const types = { date: 'date', time: 'time', datetime: 'datetime-local' };
  const input = $('picker-input');
  input.type = types[action.mode] ?? 'datetime-local';
  input.value = action.initial ?? '';
  if (action.min) input.min = action.min;
  if (action.max) input.max = action.max;
  state.pendingPicker = action;
  $('picker-form').hidden = false;
  input.focus();
}

$('picker-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const action = state.pendingPicker;
  const value = $('picker-input').value;
  $('picker-form').hidden = true;
  if (!action || !value) return;
  const key = action.mode === 'date' ? 'date' : action.mode === 'time' ? 'time' : 'datetime';
  userAction('postback', { data: String(action.data ?? ''), params: { [key]: value }, displayText: value });
});
$('picker-cancel').addEventListener('click', () => { $('picker-form').hidden = true; });

// ------------------------------------------------------------------ location form

function fillPreset(i) {
  const p = LOCATION_PRESETS[i];
  $('loc-title').value = p.title;
  $('loc-address').value = p.address;
  $('loc-lat').value = p.latitude;
  $('loc-lng').value = p.longitude;
}

function openLocationForm() {
  $('location-form').hidden = false;
  if (!$('loc-lat').value) fillPreset(0);
}

$('loc-preset').append(...LOCATION_PRESETS.map((p, i) => h('option', { value: String(i) }, p.name)));
$('loc-preset').addEventListener('change', (ev) => fillPreset(Number(ev.target.value)));
$('loc-cancel').addEventListener('click', () => { $('location-form').hidden = true; });
$('location-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  $('location-form').hidden = true;
  userAction('location', {
    latitude: Number($('loc-lat').value),
    longitude: Number($('loc-lng').value),
    title: $('loc-title').value,
    address: $('loc-address').value,
  });
});

// ------------------------------------------------------------------ rendering bot messages

/** LINE's spacing keywords, or an explicit px / % length; anything else is ignored. */
function flexLength(v) {
  const named = { none: '0px', xs: '2px', sm: '4px', md: '8px', lg: '12px', xl: '16px', xxl: '20px' };
  if (typeof v !== 'string') return null;
  if (Object.hasOwn(named, v)) return named[v];
  return /^\d+(\.\d+)?(px|%)$/.test(v) ? v : null;
}

/** Properties every component can carry: its share of a row (flex) and the space before it (margin). */
function placeInParent(el, c, parentLayout) {
  if (!el || !(el instanceof HTMLElement)) return el;
  const row = parentLayout === 'horizontal' || parentLayout === 'baseline';
  if (row && typeof c.flex === 'number' && c.flex >= 0) el.style.flex = c.flex === 0 ? '0 0 auto' : `${c.flex} 1 0%`;
  const margin = flexLength(c.margin);
  if (margin) el.style[row ? 'marginLeft' : 'marginTop'] = margin;
  return el;
}

function renderFlexComponent(c, parentLayout = 'vertical') {
  return placeInParent(renderFlexComponentOnly(c), c, parentLayout);
}

function renderFlexComponentOnly(c) {
  if (!c || typeof c !== 'object') return null;
  const clickable = (el) => {
    if (c.action) { el.classList.add('clickable'); el.addEventListener('click', () => doAction(c.action)); }
    return el;
  };
  switch (c.type) {
    case 'box': {
      const layout = ['horizontal', 'baseline', 'vertical'].includes(c.layout) ? c.layout : 'vertical';
      const el = h('div', { class: `fx-box fx-${layout}` }, (c.contents ?? []).map((x) => renderFlexComponent(x, layout)));
      const bg = safeColor(c.backgroundColor);
      if (bg) el.style.backgroundColor = bg;
      const gap = flexLength(c.spacing);
      if (gap) el.style.gap = gap;
      for (const [prop, css] of [['paddingAll', 'padding'], ['paddingTop', 'paddingTop'], ['paddingBottom', 'paddingBottom'], ['paddingStart', 'paddingLeft'], ['paddingEnd', 'paddingRight']]) {
        const v = flexLength(c[prop]);
        if (v) el.style[css] = v;
      }
      return clickable(el);
    }
    case 'text': {
      const el = h('div', { class: `fx-text fx-size-${c.size ?? 'md'}` });
      if (Array.isArray(c.contents) && c.contents.length) {
        for (const s of c.contents) {
          const span = h('span', {}, s.text ?? '');
          if (s.weight === 'bold') span.classList.add('bold');
          const sc = safeColor(s.color);
          if (sc) span.style.color = sc;
          el.append(span);
        }
      } else {
        el.textContent = c.text ?? '';
      }
      if (c.weight === 'bold') el.classList.add('bold');
      if (c.wrap === false) el.classList.add('nowrap');
      const color = safeColor(c.color);
      if (color) el.style.color = color;
      if (c.align) el.style.textAlign = c.align === 'start' ? 'left' : c.align === 'end' ? 'right' : 'center';
      return clickable(el);
    }
    case 'button': {
      const b = actionButton(c.action, `fx-button fx-${c.style ?? 'link'}`);
      const color = safeColor(c.color);
      if (color) b.style.setProperty('--btn', color);
      return b;
    }
    case 'image':
    case 'icon': {
      const url = safeUrl(c.url);
      return url ? clickable(h('img', { class: `fx-${c.type}`, src: url, alt: '' })) : h('span', { class: 'muted' }, '[image]');
    }
    case 'video': {
      const url = safeUrl(c.previewUrl);
      return url ? h('img', { class: 'fx-image', src: url, alt: 'video' }) : h('span', { class: 'muted' }, '[video]');
    }
    case 'separator':
      return h('hr', { class: 'fx-separator' });
    case 'filler':
    case 'spacer':
      return h('div', { class: 'fx-filler' });
    default:
      return h('span', { class: 'muted' }, `[${c.type}]`);
  }
}

function renderBubble(b) {
  const el = h('div', { class: 'fx-bubble' });
  for (const part of ['header', 'hero', 'body', 'footer']) {
    if (!b?.[part]) continue;
    // As in LINE, a block's padding belongs to its root box, so the box's backgroundColor fills the block.
    const block = h('div', { class: `fx-part fx-${part}` }, renderFlexComponent(b[part]));
    const bg = safeColor(b.styles?.[part]?.backgroundColor);
    if (bg) block.style.backgroundColor = bg;
    el.append(block);
  }
  return el;
}

function renderFlex(contents) {
  if (contents?.type === 'carousel') return h('div', { class: 'carousel' }, (contents.contents ?? []).map(renderBubble));
  return renderBubble(contents);
}

function renderTemplateColumn(col) {
  const img = safeUrl(col.thumbnailImageUrl);
  return h('div', { class: 'tpl' },
    img ? h('img', { src: img, alt: '', class: 'tpl-img' }) : null,
    col.title ? h('div', { class: 'bold' }, col.title) : null,
    col.text ? h('div', { class: 'tpl-text' }, col.text) : null,
    h('div', { class: 'tpl-actions' }, (col.actions ?? []).map((a) => actionButton(a))));
}

function renderTemplate(t) {
  switch (t?.type) {
    case 'buttons':
      return renderTemplateColumn(t);
    case 'confirm':
      return h('div', { class: 'tpl' }, h('div', { class: 'tpl-text' }, t.text ?? ''),
        h('div', { class: 'tpl-actions row' }, (t.actions ?? []).map((a) => actionButton(a))));
    case 'carousel':
      return h('div', { class: 'carousel' }, (t.columns ?? []).map(renderTemplateColumn));
    case 'image_carousel':
      return h('div', { class: 'carousel' }, (t.columns ?? []).map((c) => {
        const url = safeUrl(c.imageUrl);
        return h('div', { class: 'tpl' }, url ? h('img', { src: url, alt: '', class: 'tpl-img' }) : null, actionButton(c.action));
      }));
    default:
      return h('span', { class: 'muted' }, `[template ${t?.type}]`);
  }
}

function renderTextV2(m) {
  const subs = m.substitution ?? {};
  return String(m.text ?? '').replace(/\{([^}]+)\}/g, (all, key) => {
    const s = subs[key];
    if (!s) return all;
    if (s.type === 'mention') return s.mentionee?.type === 'all' ? '@all' : '@' + (s.mentionee?.userId ?? key);
    return '😀';
  });
}

function renderBotMessage(m) {
  switch (m.type) {
    case 'text': return h('div', { class: 'bubble bot' }, linkified(String(m.text ?? '')));
    case 'textV2': return h('div', { class: 'bubble bot' }, renderTextV2(m));
    case 'flex': return h('div', { class: 'rich', title: m.altText ?? '' }, renderFlex(m.contents));
    case 'template': return h('div', { class: 'rich', title: m.altText ?? '' }, renderTemplate(m.template));
    case 'image': {
      const url = safeUrl(m.previewImageUrl) ?? safeUrl(m.originalContentUrl);
      return url ? h('img', { class: 'bubble-img', src: url, alt: 'image' }) : h('div', { class: 'bubble bot' }, '[image]');
    }
    case 'location':
      return h('div', { class: 'bubble bot' }, '📍 ', h('strong', {}, m.title ?? ''), h('br'), m.address ?? '', h('br'),
        h('small', {}, `${m.latitude}, ${m.longitude}`));
    case 'sticker': return h('div', { class: 'bubble bot muted' }, `[สติกเกอร์ sticker ${m.packageId}/${m.stickerId}]`);
    case 'imagemap': return h('div', { class: 'bubble bot muted' }, `[imagemap] ${m.altText ?? ''}`);
    default: return h('div', { class: 'bubble bot muted' }, `[${m.type}] ${m.altText ?? ''}`);
  }
}

function renderUserEntry(e) {
  let content;
  switch (e.kind) {
    case 'text': content = h('div', { class: 'bubble me' }, e.text ?? ''); break;
    case 'postback':
      content = e.displayText
        ? h('div', { class: 'bubble me' }, e.displayText)
        : h('div', { class: 'system' }, `postback: ${e.data}`);
      break;
    case 'location':
      content = h('div', { class: 'bubble me' }, '📍 ', h('strong', {}, e.location?.title ?? ''), h('br'),
        e.location?.address ?? '', h('br'), h('small', {}, `${e.location?.latitude}, ${e.location?.longitude}`));
      break;
    case 'image':
      content = h('img', { class: 'bubble-img me', src: `/__sim/content/${encodeURIComponent(e.messageId)}`, alt: 'image' });
      break;
    case 'sticker': content = h('div', { class: 'bubble me sticker' }, '😊'); break;
    case 'follow': content = h('div', { class: 'system' }, ...bi('เพิ่มเพื่อนแล้ว', '(followed)')); break;
    case 'unfollow': content = h('div', { class: 'system' }, ...bi('บล็อกแล้ว', '(blocked / unfollowed)')); break;
    default: content = h('div', { class: 'system' }, e.kind);
  }
  const note = e.error ? h('div', { class: 'note error' }, e.error)
    : e.webhookStatus && e.webhookStatus !== 200 ? h('div', { class: 'note error' }, `webhook HTTP ${e.webhookStatus}`) : null;
  return h('div', { class: `entry ${e.kind === 'follow' || e.kind === 'unfollow' || (e.kind === 'postback' && !e.displayText) ? 'center' : 'right'}` }, content, note);
}

const timeFmt = new Intl.DateTimeFormat('th-TH', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function renderEntry(e) {
  if (e.from === 'user') return renderUserEntry(e);
  return h('div', { class: 'entry left' },
    ...e.messages.map(renderBotMessage),
    h('div', { class: 'note' }, `${e.via} · ${timeFmt.format(new Date(e.at))}`));
}

function renderQuickReplies() {
  const box = $('quick-replies');
  box.replaceChildren();
  const last = state.entries.at(-1);
  // LINE shows quick replies only while the message carrying them is the latest one.
  if (!last || last.from !== 'bot') return;
  const qr = last.messages.at(-1)?.quickReply;
  for (const item of qr?.items ?? []) {
    const img = safeUrl(item.imageUrl);
    const b = actionButton(item.action, 'quick');
    if (img) b.prepend(h('img', { src: img, alt: '' }));
    box.append(b);
  }
}

// Follow the newest message unless the person scrolled up to read. Only a scroll that moved the chat
// away from where it was last put counts: images that load late, the quick-reply bar or the typing
// line appearing change the sizes without being a reason to stop following.
let autoScrollTop = -1;
function followLatest() {
  const chat = $('chat');
  if (!state.followLatest) return;
  chat.scrollTop = chat.scrollHeight;
  autoScrollTop = chat.scrollTop;
}
$('chat').addEventListener('scroll', () => {
  const chat = $('chat');
  if (chat.scrollTop === autoScrollTop) return;
  state.followLatest = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 40;
  autoScrollTop = -1;
});
$('chat').addEventListener('load', followLatest, true); // capture: load does not bubble
new ResizeObserver(followLatest).observe($('chat'));

function renderChat() {
  const chat = $('chat');
  chat.replaceChildren(...state.entries.map(renderEntry));
  renderQuickReplies();
  followLatest();
}

// ------------------------------------------------------------------ rich menu

async function renderRichMenu() {
  const box = $('richmenu');
  const id = state.richMenuId;
  if (!id) { box.replaceChildren(); box.dataset.id = ''; return; }
  if (box.dataset.id === id) return;
  box.dataset.id = id;
  let info = state.richMenus.get(id);
  if (!info) {
    try { info = await call('GET', `/__sim/richmenu/${encodeURIComponent(id)}`); } catch { return; }
    state.richMenus.set(id, info);
  }
  const { size, areas = [], chatBarText = 'เมนู', selected } = info;
  const panel = h('div', { class: 'rm-panel' });
  const ratio = (size?.width || 2500) / (size?.height || 843);
  panel.style.aspectRatio = String(ratio);
  // Cap the height (tall menus) while keeping the areas aligned with the image.
  panel.style.width = `min(100%, calc(25vh * ${ratio}))`;
  if (info.hasImage) panel.append(h('img', { src: `/__sim/richmenu/${encodeURIComponent(id)}/image`, alt: '' }));
  for (const a of areas) {
    const b = actionButton(a.action, 'rm-area');
    const w = size?.width || 2500, hgt = size?.height || 843;
    b.style.left = `${(a.bounds.x / w) * 100}%`;
    b.style.top = `${(a.bounds.y / hgt) * 100}%`;
    b.style.width = `${(a.bounds.width / w) * 100}%`;
    b.style.height = `${(a.bounds.height / hgt) * 100}%`;
    if (info.hasImage) b.classList.add('overlay');
    panel.append(b);
  }
  panel.hidden = !selected;
  const bar = h('button', { type: 'button', class: 'rm-bar', onclick: () => { panel.hidden = !panel.hidden; } }, `☰ ${chatBarText}`);
  box.replaceChildren(bar, panel);
}

// ------------------------------------------------------------------ users & polling

function renderUsers() {
  const list = $('user-list');
  const roleName = { officer: 'เจ้าหน้าที่ (officer)', citizen: 'ประชาชน (citizen)' };
  const groups = new Map();
  for (const u of state.users) {
    const key = u.role ?? 'other';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(u);
  }
  const items = [];
  for (const [role, us] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    items.push(h('li', { class: 'group' }, roleName[role] ?? role));
    for (const u of us) {
      items.push(h('li', {},
        h('button', { type: 'button', class: u.userId === state.current ? 'user active' : 'user', onclick: () => selectUser(u.userId) },
          h('span', {}, u.displayName),
          h('span', { class: 'badges' },
            u.following ? null : h('span', { class: 'badge off', title: 'not following' }, '⊘'),
            u.language ? h('span', { class: 'badge' }, u.language) : null,
            h('span', { class: 'badge count', title: 'messages received' }, String(u.received))))));
    }
  }
  if (!items.length) items.push(h('li', { class: 'muted' }, ...bi('ยังไม่มีผู้ใช้', '(no users yet)')));
  list.replaceChildren(...items);
}

function selectUser(userId) {
  state.current = userId;
  state.entries = [];
  state.renderedKey = '';
  state.followLatest = true;
  const u = state.users.find((x) => x.userId === userId);
  $('chat-title').textContent = u?.displayName ?? userId;
  $('chat-sub').textContent = [u?.role, u?.language, userId].filter(Boolean).join(' · ');
  $('chat-tools').hidden = false;
  $('composer').hidden = false;
  setStatus('');
  renderUsers();
  refreshChat();
}

async function refreshUsers() {
  try {
    state.users = await call('GET', '/__sim/users');
    renderUsers();
  } catch { /* simulator stopped; keep the last view */ }
}

async function refreshChat() {
  if (!state.current) return;
  const userId = state.current;
  let data;
  try { data = await call('GET', `/__sim/users/${userId}/messages`); } catch { return; }
  if (userId !== state.current) return;
  state.entries = data.entries;
  // Re-render only when something visible changed (new entry or a webhook result came back).
  const key = data.entries.map((e) => `${e.seq}:${e.webhookStatus ?? ''}:${e.error ?? ''}`).join(',');
  if (key !== state.renderedKey) { state.renderedKey = key; renderChat(); }
  $('loading').hidden = !data.loading;
  state.richMenuId = data.richMenuId;
  renderRichMenu();
}

async function refreshState() {
  try {
    const s = await call('GET', '/__sim/state');
    if (document.activeElement !== $('webhook-url')) $('webhook-url').value = s.webhookUrl ?? '';
    $('bot-id').textContent = `bot: ${s.botUserId}`;
  } catch { /* ignore */ }
}

// ------------------------------------------------------------------ wiring

$('user-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    const u = await call('POST', '/__sim/users', {
      displayName: $('user-name').value, role: $('user-role').value, language: $('user-lang').value,
    });
    $('user-name').value = '';
    await refreshUsers();
    selectUser(u.userId);
  } catch (err) { setStatus(err.message, true); }
});

$('webhook-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    await call('PUT', '/__sim/webhook', { url: $('webhook-url').value });
    setStatus('บันทึกแล้ว (saved)');
  } catch (err) { setStatus(err.message, true); }
});

$('composer').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const text = $('text').value;
  if (!text.trim()) return;
  $('text').value = '';
  userAction('text', { text });
});

$('btn-image').addEventListener('click', () => $('file').click());
$('file').addEventListener('change', async () => {
  const file = $('file').files?.[0];
  $('file').value = '';
  if (!file) return;
  await userAction('image', await file.arrayBuffer(), file.type || 'image/jpeg');
});
$('btn-location').addEventListener('click', openLocationForm);
$('btn-sticker').addEventListener('click', () => userAction('sticker', {}));
$('btn-follow').addEventListener('click', () => userAction('follow'));
$('btn-unfollow').addEventListener('click', () => userAction('unfollow'));
$('btn-idtoken').addEventListener('click', async () => {
  if (!state.current) return;
  try {
    const { idToken } = await call('POST', `/__sim/users/${state.current}/id-token`, {});
    await navigator.clipboard?.writeText(idToken);
    setStatus('คัดลอก ID token แล้ว (copied)');
  } catch (err) { setStatus(err.message, true); }
});

async function tick() {
  await Promise.all([refreshUsers(), refreshChat()]);
  setTimeout(tick, 1000);
}

refreshState();
setInterval(refreshState, 5000);
tick();
