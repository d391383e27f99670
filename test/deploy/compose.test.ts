import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES, loadConfig } from '../../src/config.js';

type Service = {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  read_only?: boolean;
  volumes?: string[];
};
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const nginx = readFileSync('deploy/compose/nginx.conf', 'utf8');

/** Compose's own interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}, and $$ for a literal $. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\{(\w+)(?::([-?])([^}]*))?\}/g, (match, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (match === '$$') return '$';
    const value = env[name!];
    if (value !== undefined && value !== '') return value;
    if (op === '?') throw new Error(`compose: ${name} is required: ${arg}`);
    return op === '-' ? arg! : '';
  });
}

const SECRETS = { JWT_SECRET: randomBytes(40).toString('hex'), WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'), POSTGRES_PASSWORD: 'pg-password', REDIS_PASSWORD: 'redis-password' };
const environmentOf = (service: string, env: Record<string, string> = SECRETS) =>
  Object.fromEntries(Object.entries(services[service]!.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), env)]));

describe('docker-compose.yml', () => {
  it('runs two api instances and a worker behind a proxy, with PostgreSQL, Redis and a migration step', () => {
    expect(Object.keys(services).sort()).toEqual(['api-1', 'api-2', 'mailpit', 'migrate', 'postgres', 'proxy', 'redis', 'worker']);
    expect(environmentOf('api-1').ROLE).toBe('api');
    expect(environmentOf('api-2').ROLE).toBe('api');
    expect(environmentOf('worker').ROLE).toBe('worker');
    expect(services.proxy!.image).toMatch(/^nginx:\d/);
    expect(services.proxy!.volumes).toContain('./deploy/compose/nginx.conf:/etc/nginx/conf.d/default.conf:ro');
  });

  it('migrates before any api or worker starts, and they do not migrate themselves', () => {
    expect(services.migrate!.command).toEqual(['node', 'dist/scripts/db-migrate.js']);
    for (const name of ['api-1', 'api-2', 'worker']) {
      expect(services[name]!.depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' } });
      expect(environmentOf(name).MIGRATE_ON_START).toBe('false');
    }
  });

  it('binds PostgreSQL and Redis to 127.0.0.1 only', () => {
    for (const name of ['postgres', 'redis', 'mailpit']) {
      expect(services[name]!.ports!.length).toBeGreaterThan(0);
      for (const port of services[name]!.ports!) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    }
    for (const name of ['api-1', 'api-2', 'worker', 'migrate']) expect(services[name]!.ports).toBeUndefined();
    expect(interpolate(services.proxy!.ports![0]!, {})).toBe('127.0.0.1:4000:8080');
  });

  it('has no secret of its own: every password and the JWT secret come from the environment', () => {
    const text = readFileSync('docker-compose.yml', 'utf8');
    expect(text).not.toMatch(/POSTGRES_HOST_AUTH_METHOD|trust/);
    for (const name of Object.keys(services)) {
      for (const [key, value] of Object.entries(services[name]!.environment ?? {})) {
        // SMTP_URL defaults to Mailpit, which takes mail without credentials
        if (!/SECRET|PASSWORD|_URL$/.test(key) || key === 'SMTP_URL') continue;
        expect(String(value), `${name}.${key}`).toMatch(/\$\{(JWT_SECRET|WEBHOOK_SECRET_KEY|POSTGRES_PASSWORD|REDIS_PASSWORD):\?[^}]+\}/);
      }
    }
    for (const missing of Object.keys(SECRETS)) {
      const env: Record<string, string> = { ...SECRETS, [missing]: '' };
      expect(() => environmentOf('api-1', env), missing).toThrow(new RegExp(`${missing} is required`));
    }
  });

  it('gives the app only settings it has, which it accepts in production', () => {
    for (const name of ['api-1', 'api-2', 'worker']) {
      const env = environmentOf(name);
      expect(Object.keys(env).filter((k) => !SETTING_NAMES.includes(k))).toEqual([]);
      expect(loadConfig(env)).toMatchObject({ env: 'production', migrateOnStart: false, jobs: { blobDir: '/var/lib/amused/blobs' } });
      expect(services[name]!.read_only).toBe(true);
      expect(services[name]!.volumes).toContain('blobs:/var/lib/amused/blobs');
    }
    expect(loadConfig(environmentOf('api-1')).databaseUrl).toBe('postgresql://amused:pg-password@postgres:5432/amused');
  });

  it("sends the worker's emails to Mailpit unless SMTP_URL names another server", () => {
    expect(services.mailpit!.image).toMatch(/^axllent\/mailpit:v\d/);
    expect(loadConfig(environmentOf('worker')).smtp.url).toBe('smtp://mailpit:1025');
    expect(loadConfig(environmentOf('worker', { ...SECRETS, SMTP_URL: 'smtps://user:pass@mail.example.com:465' })).smtp.url).toBe('smtps://user:pass@mail.example.com:465');
  });

  it('proxies to both api instances with WebSocket upgrades, unbuffered SSE and long timeouts', () => {
    const port = loadConfig(environmentOf('api-1')).port;
    expect(nginx).toContain(`server api-1:${port};`);
    expect(nginx).toContain(`server api-2:${port};`);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginx).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    expect(nginx).toMatch(/proxy_http_version 1\.1;/);
    expect(nginx).toMatch(/proxy_buffering off;/);
    for (const directive of ['proxy_read_timeout', 'proxy_send_timeout']) {
      expect(Number(new RegExp(`${directive} (\\d+)s;`).exec(nginx)?.[1])).toBeGreaterThanOrEqual(3600);
    }
    const bodyLimit = Number(/client_max_body_size (\d+)m;/.exec(nginx)?.[1]) * 1024 * 1024;
    expect(bodyLimit).toBeGreaterThan(loadConfig(environmentOf('api-1')).jobs.importMaxBytes);
    expect(nginx).not.toMatch(/^\s*(ip_hash|hash|sticky)\b/m);
  });
});
