import type { RequestHandler } from 'express';

/**
 * The answer for a route nobody serves, mounted after every router: JSON like the rest of the
 * API, where Express's default would be an HTML page.
 */
export function notFound(): RequestHandler {
  return (req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${req.path}` } });
  };
}
