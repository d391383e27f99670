/**
 * Work that runs one pass at a time: asked for while a pass runs, it runs once more after it,
 * never twice at once (catch-up reads of the event log, the relay's drain). A failing pass
 * ends the run; the next request starts a new one.
 */
export class RerunningTask {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly stopped: () => boolean,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass();
      } while (this.again && !this.stopped());
    })()
      .catch(this.onError)
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Resolves when the pass under way, if any, has ended. */
  async settled(): Promise<void> {
    await this.running;
  }
}
