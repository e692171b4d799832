/**
 * Security headers for every response of the web process (helmet is not a dependency; these few
 * headers are all we need). The default CSP allows nothing, which is right for JSON and plain text;
 * each HTML surface (LIFF pages, dashboard, /admin/queues) sets the policy its page needs on top.
 */
import type { RequestHandler, Response } from 'express';

/** Nothing may be loaded and no site may frame the response: the policy of every non-HTML answer. */
export const DENY_ALL_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function setSecurityHeaders(res: Response, csp: string = DENY_ALL_CSP): void {
  res.setHeader('content-security-policy', csp);
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('x-content-type-options', 'nosniff');
  // Case and sign-in URLs carry ids and codes: never hand them on as a referrer.
  res.setHeader('referrer-policy', 'no-referrer');
}

export function securityHeaders(csp: string = DENY_ALL_CSP): RequestHandler {
  return (_req, res, next) => {
    setSecurityHeaders(res, csp);
    next();
  };
}
