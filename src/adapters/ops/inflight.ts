/**
 * Work in flight (command handlers, replies being sent), shared by the platform adapters, so that a
 * shutdown can stop taking new work and wait — bounded — for what is running.
 *
 *   const inFlight = new InFlight();
 *   inFlight.track(handle(update));         // adapters, for every command they take
 *   // on SIGTERM
 *   inFlight.close();                       // adapters refuse new work from now on
 *   const finished = await inFlight.drain(10_000);
 */
export class InFlight {
  readonly #tasks = new Set<Promise<unknown>>();
  #closed = false;

  /** Work running now. */
  get size(): number {
    return this.#tasks.size;
  }

  /** True once close() was called: adapters take no new work. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Counts `task` in flight until it settles; returns it. */
  track<T>(task: Promise<T>): Promise<T> {
    this.#tasks.add(task);
    const done = (): void => void this.#tasks.delete(task);
    task.then(done, done);
    return task;
  }

  close(): void {
    this.#closed = true;
  }

  /** Resolves true when nothing is in flight any more, false when `timeoutMs` passed first. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.#tasks.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs));
    });
    const idle = (async (): Promise<true> => {
      while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
      return true;
    })();
    try {
      return await Promise.race([idle, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
