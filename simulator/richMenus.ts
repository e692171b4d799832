/**
 * Rich menus (messaging-api.yml, rich menu operations): create, validate, list, get, delete, upload and
 * download the image, and link menus to users or as the default — refusing, as LINE does, to link a
 * menu without an image or to replace an image.
 */
import { randomBytes } from 'node:crypto';
import type { Express, Response } from 'express';
import { validBody } from './http.ts';
import { NOT_FOUND, type SimState } from './state.ts';

export function richMenuView(s: SimState, id: string) {
  return { richMenuId: id, ...s.richMenus.get(id) };
}

export function mountRichMenus(app: Express, s: SimState): void {
  const { users, richMenus, richMenuImages, userMenus } = s;

  app.post('/v2/bot/richmenu/validate', (req, res) => {
    if (validBody(req, res, 'validateRichMenuObject')) res.json({});
  });

  app.post('/v2/bot/richmenu/bulk/link', (req, res) => {
    const body = validBody(req, res, 'linkRichMenuIdToUsers');
    if (!body) return;
    if (!richMenus.has(body.richMenuId)) { res.status(404).json(NOT_FOUND); return; }
    for (const u of body.userIds) userMenus.set(u, body.richMenuId);
    res.status(202).json({});
  });

  app.post('/v2/bot/richmenu/bulk/unlink', (req, res) => {
    const body = validBody(req, res, 'unlinkRichMenuIdFromUsers');
    if (!body) return;
    for (const u of body.userIds) userMenus.delete(u);
    res.status(202).json({});
  });

  app.post('/v2/bot/richmenu', (req, res) => {
    const body = validBody(req, res, 'createRichMenu');
    if (!body) return;
    const id = 'richmenu-' + randomBytes(16).toString('hex');
    richMenus.set(id, body);
    res.json({ richMenuId: id });
  });

  app.get('/v2/bot/richmenu/list', (_req, res) => {
    res.json({ richmenus: [...richMenus.keys()].map((id) => richMenuView(s, id)) });
  });

  app.post('/v2/bot/richmenu/:richMenuId/content', (req, res) => {
    const id = req.params.richMenuId;
    if (!richMenus.has(id)) { res.status(404).json(NOT_FOUND); return; }
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'image/png' && type !== 'image/jpeg') { res.status(415).json({ message: 'Unsupported Media Type' }); return; }
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) { res.status(400).json({ message: 'The request body is empty' }); return; }
    // The real API refuses to replace a menu's image; a new menu is needed instead.
    if (richMenuImages.has(id)) { res.status(400).json({ message: 'An image has already been uploaded to the richmenu' }); return; }
    richMenuImages.set(id, { bytes: Buffer.from(req.body), contentType: type });
    res.json({});
  });

  app.get('/v2/bot/richmenu/:richMenuId/content', (req, res) => {
    const img = richMenuImages.get(req.params.richMenuId);
    if (!img) { res.status(404).json(NOT_FOUND); return; }
    res.setHeader('content-type', img.contentType);
    res.send(img.bytes);
  });

  app.get('/v2/bot/richmenu/:richMenuId', (req, res) => {
    if (!richMenus.has(req.params.richMenuId)) { res.status(404).json(NOT_FOUND); return; }
    res.json(richMenuView(s, req.params.richMenuId));
  });

  app.delete('/v2/bot/richmenu/:richMenuId', (req, res) => {
    const id = req.params.richMenuId;
    if (!richMenus.delete(id)) { res.status(404).json(NOT_FOUND); return; }
    richMenuImages.delete(id);
    for (const [u, m] of userMenus) if (m === id) userMenus.delete(u);
    if (s.defaultMenu === id) s.defaultMenu = undefined;
    res.json({});
  });

  /** Linking needs an existing menu with an uploaded image, as on the real platform. */
  function linkable(res: Response, id: string): boolean {
    if (!richMenus.has(id)) { res.status(404).json(NOT_FOUND); return false; }
    if (!richMenuImages.has(id)) { res.status(400).json({ message: 'must upload richmenu image before applying it to user' }); return false; }
    return true;
  }

  app.post('/v2/bot/user/all/richmenu/:richMenuId', (req, res) => {
    if (!linkable(res, req.params.richMenuId)) return;
    s.defaultMenu = req.params.richMenuId;
    res.json({});
  });
  app.get('/v2/bot/user/all/richmenu', (_req, res) => {
    if (!s.defaultMenu) { res.status(404).json(NOT_FOUND); return; }
    res.json({ richMenuId: s.defaultMenu });
  });
  app.delete('/v2/bot/user/all/richmenu', (_req, res) => {
    s.defaultMenu = undefined;
    res.json({});
  });

  app.post('/v2/bot/user/:userId/richmenu/:richMenuId', (req, res) => {
    if (!users.has(req.params.userId)) { res.status(404).json(NOT_FOUND); return; }
    if (!linkable(res, req.params.richMenuId)) return;
    userMenus.set(req.params.userId, req.params.richMenuId);
    res.json({});
  });
  app.get('/v2/bot/user/:userId/richmenu', (req, res) => {
    // Only the per-user link, as on LINE: the default menu is not reported here.
    const id = userMenus.get(req.params.userId);
    if (!id) { res.status(404).json(NOT_FOUND); return; }
    res.json({ richMenuId: id });
  });
  app.delete('/v2/bot/user/:userId/richmenu', (req, res) => {
    userMenus.delete(req.params.userId);
    res.json({});
  });
}
