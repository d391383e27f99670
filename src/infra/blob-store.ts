import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Where uploaded and exported files live. Workers and api instances on different machines
 * need a shared implementation (S3, GCS, NFS); the local directory serves one machine.
 */
export interface BlobStore {
  /** Streams the content in; the blob appears whole or not at all. Resolves with its size. */
  put(key: string, content: Readable): Promise<{ bytes: number }>;
  /** A stream of the blob; it errors with code ENOENT when there is none. */
  get(key: string): Readable;
  /** Size in bytes, or null when there is no such blob. */
  size(key: string): Promise<number | null>;
  delete(key: string): Promise<void>;
}

const KEY = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_.-]*)*$/i;

/** Blobs as files under one directory; keys are relative paths like "imports/<uuid>.csv". */
export class LocalBlobStore implements BlobStore {
  constructor(private readonly dir: string) {}

  private file(key: string): string {
    if (!KEY.test(key) || key.includes('..')) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
    return path.resolve(this.dir, key);
  }

  async put(key: string, content: Readable): Promise<{ bytes: number }> {
    const target = this.file(key);
    await mkdir(path.dirname(target), { recursive: true });
    // written beside the target, then renamed over it: readers never see half a file
    const temporary = `${target}.${randomBytes(6).toString('hex')}.partial`;
    const out = createWriteStream(temporary);
    try {
      await pipeline(content, out);
      await rename(temporary, target);
      return { bytes: out.bytesWritten };
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  get(key: string): Readable {
    return createReadStream(this.file(key));
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.file(key))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
}
