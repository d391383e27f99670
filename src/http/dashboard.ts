import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** dashboard/dist, from the working directory or next to the sources (dist/src/http in production). */
function dashboardDir(): string {
  const fromCwd = path.join(process.cwd(), 'dashboard', 'dist');
  return existsSync(fromCwd) ? fromCwd : fileURLToPath(new URL('../../../dashboard/dist', import.meta.url));
}

/** The live stock dashboard: static files built by Vite (npm run dashboard:build). */
export function dashboardRouter(): Router {
  const dir = dashboardDir();
  const router = Router();
  router.use('/dashboard/assets', express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  router.get(['/dashboard', '/dashboard/'], (_req, res) => {
    const index = path.join(dir, 'index.html');
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The dashboard is not built: run npm run dashboard:build');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
