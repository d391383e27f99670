import type { Logger } from './logger.js';

type Closer = { name: string; close: () => Promise<unknown> | unknown };

/** Closes what was opened, last opened first, within a deadline. */
export class Shutdown {
  private readonly closers: Closer[] = [];
  private running: Promise<boolean> | undefined;

  constructor(private readonly log: Logger) {}

  get started(): boolean {
    return this.running !== undefined;
  }

  add(name: string, close: Closer['close']): void {
    this.closers.push({ name, close });
  }

  /** Resolves true when everything closed cleanly before the deadline. */
  run(timeoutMs: number): Promise<boolean> {
    this.running ??= this.closeAll(timeoutMs);
    return this.running;
  }

  private async closeAll(timeoutMs: number): Promise<boolean> {
    const deadline = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    const closing = (async () => {
      let clean = true;
      for (const { name, close } of [...this.closers].reverse()) {
        try {
          await close();
        } catch (err) {
          clean = false;
          this.log.error({ err }, `shutdown: closing ${name} failed`);
        }
      }
      return clean;
    })();
    const clean = await Promise.race([closing, deadline]);
    if (!clean) this.log.warn('shutdown: not everything closed cleanly in time');
    return clean;
  }
}
