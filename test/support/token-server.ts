// A Docker token server for registry tests (distribution's token auth): Basic-authenticated users get a JWT
// granting what they ask for, anonymous callers get one granting only pulls of the public repositories, a wrong
// password is a 401 with Docker Hub's `{"details": ...}` body. Tokens are ES256-signed with a certificate
// (sent as x5c) that the registry trusts through its root bundle.
import { randomUUID, sign, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { KeyPair } from './test-pki.js';

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  /** Token requests seen (scope and account). */
  requests: { scope: string; account: string }[];
  close(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export interface TokenServerOptions {
  /** Repositories anyone may pull (as Docker Hub's public images): anonymous tokens grant `pull` on them. */
  publicRepositories?: string[];
}

export async function startTokenServer(signer: KeyPair, users: Record<string, string>, opts: TokenServerOptions = {}): Promise<TokenServer> {
  const publicRepositories = new Set(opts.publicRepositories ?? []);
  const service = 'test-registry';
  const issuer = 'test-token-issuer';
  const requests: TokenServer['requests'] = [];
  const x5c = [new X509Certificate(signer.cert).raw.toString('base64')];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const scopes = url.searchParams.getAll('scope');
    let account = '';
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Basic ')) {
      const [user, password] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
      if (users[user] !== password) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ details: 'incorrect username or password' }));
        return;
      }
      account = user;
    }
    requests.push({ scope: scopes.join(' '), account });
    const access = scopes
      .map((scope) => {
        const [type, name, actions] = scope.split(':');
        return { type, name, actions: account ? actions.split(',') : actions.split(',').filter((a) => a === 'pull' && type === 'repository' && publicRepositories.has(name)) };
      })
      .filter((grant) => grant.actions.length > 0);
    const now = Math.floor(Date.now() / 1000);
    const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', x5c }));
    const claims = b64url(JSON.stringify({ iss: issuer, sub: account, aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access }));
    const signature = sign('sha256', Buffer.from(`${head}.${claims}`), { key: signer.key, dsaEncoding: 'ieee-p1363' });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: `${head}.${claims}.${b64url(signature)}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
