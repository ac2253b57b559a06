/**
 * One asynchronous value a view shows: its data, whether it is loading, and the error to show.
 * A new load aborts the previous one, so a quick run of filter changes cannot land out of order.
 */
export class Resource<T> {
  value = $state<T | undefined>(undefined);
  error = $state<Error | null>(null);
  loading = $state(false);
  #controller: AbortController | null = null;

  async load(fetcher: (signal: AbortSignal) => Promise<T>): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.loading = true;
    try {
      const value = await fetcher(controller.signal);
      if (controller.signal.aborted) return;
      this.value = value;
      this.error = null;
    } catch (e) {
      if (controller.signal.aborted) return;
      this.error = e instanceof Error ? e : new Error(String(e));
      this.value = undefined;
    } finally {
      if (this.#controller === controller) this.loading = false;
    }
  }

  abort(): void {
    this.#controller?.abort();
    this.loading = false;
  }

  get status(): 'loading' | 'error' | 'ready' | 'idle' {
    if (this.loading) return 'loading';
    if (this.error) return 'error';
    return this.value === undefined ? 'idle' : 'ready';
  }
}
