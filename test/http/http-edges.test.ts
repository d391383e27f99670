import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { CSV_HEADER, finishedJob, tempBlobDir, uploadCsv } from '../support/jobs.js';
import { toGlobalId } from '../../src/graphql/global-id.js';

let api: TestApi;
let blobs: Awaited<ReturnType<typeof tempBlobDir>>;
beforeAll(async () => {
  blobs = await tempBlobDir();
  api = await startTestApi({ BLOB_DIR: blobs.dir }, { worker: true });
});
afterAll(async () => {
  await api?.stop();
  await blobs?.remove();
});

async function getAs(seller: string | null, path: string): Promise<Response> {
  const headers: Record<string, string> = seller === null ? {} : { authorization: `Bearer ${await api.token(seller)}` };
  return fetch(`${api.url}${path}`, { headers });
}

describe('GET /jobs/:id, where an upload\'s 202 points', () => {
  it('follows the Location of POST /imports/products to the job as JSON, until it is finished', async () => {
    const upload = await uploadCsv(api, 'edge-seller', `${CSV_HEADER}\nEDGE-1,Edge lamp,,19.90,4,lamps,\n`);
    expect(upload.status).toBe(202);
    const location = upload.headers.get('location')!;
    expect(location).toBe(`/jobs/${String(upload.json['id'])}`);

    const first = await getAs('edge-seller', location);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await first.json()).toMatchObject({ id: upload.json['id'], kind: 'PRODUCT_IMPORT', mode: 'UPSERT' });

    await finishedJob(api, 'edge-seller', String(upload.json['id']));
    const done = await getAs('edge-seller', location);
    expect(await done.json()).toMatchObject({ id: upload.json['id'], state: 'COMPLETED', progress: 1, succeededRows: 1, failedRows: 0 });
  });

  it("answers another seller's job and an unknown job id with the same JSON 404, and a malformed id with a 400 naming the form", async () => {
    const upload = await uploadCsv(api, 'edge-owner', `${CSV_HEADER}\nEDGE-2,Edge chair,,49.00,1,chairs,\n`);
    const location = upload.headers.get('location')!;
    for (const path of [location, `/jobs/${toGlobalId('Job', '00000000-0000-4000-8000-000000000000')}`]) {
      const res = await getAs('edge-other', path);
      expect(res.status, path).toBe(404);
      expect(await res.json(), path).toEqual({ errors: [{ message: 'No such job', extensions: { code: 'NOT_FOUND' } }] });
    }
    for (const path of ['/jobs/00000000-0000-4000-8000-000000000000', '/jobs/1', `/jobs/${toGlobalId('Product', 1)}`]) {
      const res = await getAs('edge-owner', path);
      expect(res.status, path).toBe(400);
      expect(await res.json(), path).toEqual({ errors: [{ message: expect.stringMatching(/^id must be a Job id such as "[\w-]+"$/), extensions: { code: 'BAD_USER_INPUT' } }] });
    }
  });

  it('needs a bearer token', async () => {
    const res = await getAs(null, '/jobs/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });
});

describe('unknown routes', () => {
  it.each([
    ['GET', '/nothing-here'],
    ['POST', '/nothing-here'],
    ['GET', '/jobs'],
    ['DELETE', '/jobs/00000000-0000-4000-8000-000000000000'],
    ['GET', '/docs/missing.md'],
  ])('%s %s is a JSON 404, not an HTML page', async (method, path) => {
    const res = await fetch(`${api.url}${path}`, { method });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: `No route for ${method} ${path}` } });
  });

  it('a missing dashboard asset is JSON too', async () => {
    const res = await fetch(`${api.url}/dashboard/assets/missing.js`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
  });
});

describe('GET /', () => {
  it('is a page of links to GraphiQL, the dashboard, health and the docs, all served here', async () => {
    const res = await fetch(`${api.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    // nothing the CSP would refuse: no script at all, no external resource
    expect(html).not.toMatch(/<script|\son\w+=|javascript:/i);
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    expect(hrefs).toEqual(expect.arrayContaining(['/graphql', '/dashboard', '/healthz', '/readyz', '/docs/README.md', '/docs/ARCHITECTURE.md']));
    for (const href of hrefs) {
      expect(href.startsWith('/'), `${href} is on this server`).toBe(true);
      const target = await fetch(`${api.url}${href}`, { headers: { accept: 'text/html' } });
      // the dashboard answers 503 in a checkout where it is not built; never a dead link
      expect(href === '/dashboard' ? [200, 503] : [200], href).toContain(target.status);
    }
  });

  it('serves the README as text', async () => {
    const res = await fetch(`${api.url}/docs/README.md`);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toMatch(/^# /);
  });
});
