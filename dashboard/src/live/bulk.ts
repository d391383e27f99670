import type { GraphQLErrorShape } from './http';

export interface StartedJob {
  id: string;
}

/** Streams a CSV file to POST /imports/products; the answer is the queued job. */
export async function uploadCsv(token: string, file: File, mode: 'UPSERT' | 'CREATE_ONLY'): Promise<StartedJob> {
  const res = await fetch(`/imports/products?mode=${mode}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: file,
  });
  const body = (await res.json()) as StartedJob & { errors?: GraphQLErrorShape[] };
  if (!res.ok) throw new Error(body.errors?.[0]?.message ?? `Upload failed (HTTP ${res.status})`);
  return body;
}

/** Downloads an export with the bearer token (a plain link could not send it) as a file URL. */
export async function downloadExport(token: string, downloadUrl: string): Promise<string> {
  const res = await fetch(downloadUrl, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`Download failed (HTTP ${res.status})`);
  return URL.createObjectURL(await res.blob());
}
