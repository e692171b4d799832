/**
 * LINE Login ID tokens as LIFF and the native apps get them: ES256 JWTs signed with this simulator's
 * own key (`issueIdToken`, also `POST /__sim/users/:id/id-token`), and LINE's verify endpoint
 * (`POST /oauth2/v2.1/verify`), which also accepts the HS256 web-login tokens of login.ts.
 */
import { generateKeyPairSync, randomBytes, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import type { Express } from 'express';
import { rawText } from './http.ts';
import { verifyWebLoginSignature } from './login.ts';
import { ID_TOKEN_ISSUER, type LineSimulator, type SimState } from './state.ts';

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

export function createIdTokens(s: SimState): { issueIdToken: LineSimulator['issueIdToken']; mountVerify(app: Express): void } {
  const { now, mustUser, loginChannelId, loginChannelSecret } = s;
  // LIFF/native-app ID tokens are ES256 JWTs (LINE Login docs, "ID tokens"); one key per simulator.
  const idKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const idKid = randomBytes(16).toString('hex');

  function issueIdToken(userId: string, o?: { expiresInSec?: number; nonce?: string }): string {
    const u = mustUser(userId);
    const iat = Math.floor(now() / 1000);
    const payload = {
      iss: ID_TOKEN_ISSUER, sub: userId, aud: loginChannelId,
      exp: iat + (o?.expiresInSec ?? 3600), iat,
      ...(o?.nonce ? { nonce: o.nonce } : {}),
      amr: ['linesso'], name: u.displayName,
      ...(u.pictureUrl ? { picture: u.pictureUrl } : {}),
    };
    const input = `${b64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', kid: idKid }))}.${b64url(JSON.stringify(payload))}`;
    const sig = cryptoSign('sha256', Buffer.from(input), { key: idKeys.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${b64url(sig)}`;
  }

  function mountVerify(app: Express): void {
    // -------- LINE Login ID token verification (NON-SPEC: not in line-openapi; see
    // https://developers.line.biz/en/reference/line-login/#verify-id-token)
    app.post('/oauth2/v2.1/verify', (req, res) => {
      const form = new URLSearchParams(rawText(req));
      const idToken = form.get('id_token');
      const clientId = form.get('client_id');
      const fail = (description: string) => res.status(400).json({ error: 'invalid_request', error_description: description });
      if (!idToken) return fail('id_token is required.');
      if (!clientId) return fail('client_id is required.');
      const parts = idToken.split('.');
      let payload: any;
      try {
        if (parts.length !== 3) throw new Error('shape');
        const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
        // LIFF/native-app tokens are ES256; web-login tokens are HS256 with the channel secret.
        const ok = header.alg === 'HS256'
          ? verifyWebLoginSignature(loginChannelSecret, idToken)
          : header.alg === 'ES256' && cryptoVerify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: idKeys.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'));
        if (!ok) throw new Error('signature');
        payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
      } catch {
        return fail('Invalid IdToken.');
      }
      if (payload.iss !== ID_TOKEN_ISSUER) return fail('Invalid IdToken Issuer.');
      if (payload.exp * 1000 <= now()) return fail('IdToken expired.');
      if (payload.aud !== clientId) return fail('Invalid IdToken Audience.');
      const nonce = form.get('nonce');
      if (nonce !== null && payload.nonce !== nonce) return fail('Invalid IdToken Nonce.');
      const userId = form.get('user_id');
      if (userId !== null && payload.sub !== userId) return fail('Invalid IdToken Subject Identifier.');
      res.json(payload);
    });
  }

  return { issueIdToken, mountVerify };
}
