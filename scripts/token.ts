// npm run token -- --seller <id> [--admin] [--role OWNER|STAFF|READ_ONLY] [--expires 12h]: prints a bearer token signed with JWT_SECRET
// (without one, outside production: the local development secret, made on first use in DEV_SECRET_FILE).
// Without --role the token is OWNER, as every token was before roles.
// The server refuses tokens that live longer than JWT_MAX_LIFETIME_SECONDS (24 h by default).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { signToken } from '../src/graphql/auth.js';
import { isRole } from '../src/modules/accounts/roles.js';

const { values } = parseArgs({
  options: { seller: { type: 'string' }, admin: { type: 'boolean', default: false }, role: { type: 'string' }, expires: { type: 'string', default: '12h' } },
});
if (!values.seller || (values.role !== undefined && !isRole(values.role))) {
  console.error('usage: npm run token -- --seller <id> [--admin] [--role OWNER|STAFF|READ_ONLY] [--expires 12h]');
  process.exit(2);
}
try {
  const { auth } = loadConfig();
  if (!auth.secret) throw new ConfigError('config: JWT_SECRET is missing: tokens for a JWKS provider come from that provider');
  console.log(await signToken(auth.secret, values.seller, { role: values.admin ? 'admin' : undefined, sellerRole: isRole(values.role) ? values.role : undefined, expiresIn: values.expires, issuer: auth.issuer, audience: auth.audience }));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
