import type { Response } from 'express';

/** JSON with <, > and & escaped: the same data, inert should anything render it as HTML. */
export function sendJson(res: Response, status: number, body: unknown): void {
  const text = JSON.stringify(body).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  res.status(status).type('application/json; charset=utf-8').send(text);
}
