import express, { Router } from 'express';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (the working directory, or two levels above dist/src/http in production). */
function repositoryRoot(): string {
  return existsSync(path.join(process.cwd(), 'README.md')) ? process.cwd() : fileURLToPath(new URL('../../../', import.meta.url));
}

/** The Markdown documents served under /docs: README.md and docs/*.md, whichever this install has. */
export function documentNames(root = repositoryRoot()): string[] {
  const readme = existsSync(path.join(root, 'README.md')) ? ['README.md'] : [];
  const docsDir = path.join(root, 'docs');
  const docs = existsSync(docsDir) ? readdirSync(docsDir).filter((name) => name.endsWith('.md')).sort() : [];
  return [...readme, ...docs];
}

/**
 * GET /docs/<name>.md: the README and docs/ as plain text (and docs/' images, which the README
 * shows), so the landing page's links work without leaving this server.
 */
export function docsRouter(root = repositoryRoot()): Router {
  const router = Router();
  const asText = (res: express.Response, file: string) => {
    if (file.endsWith('.md')) res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  };
  const readme = path.join(root, 'README.md');
  router.get('/docs/README.md', (_req, res, next) => {
    if (!existsSync(readme)) return next();
    res.sendFile(readme, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  });
  router.use('/docs', express.static(path.join(root, 'docs'), { index: false, dotfiles: 'ignore', setHeaders: asText }));
  return router;
}
