/**
 * In-memory cache of computed result tables, per server process. Decided deliberately: the
 * warehouse is read once at start-up and never changes under a running server, results are
 * aggregates that the same roles may request anyway (the role check runs before the cache), and
 * nothing is written to disk. Identical concurrent requests share one computation. Least recently
 * used entries are dropped beyond `maxEntries`; 0 turns the cache off (API_CACHE_ENTRIES=0).
 */
export class ResultCache<T> {
  private readonly entries = new Map<string, Promise<T>>();
  hits = 0;
  misses = 0;

  constructor(private readonly maxEntries: number) {}

  static fromEnv<T>(): ResultCache<T> {
    const raw = process.env.API_CACHE_ENTRIES;
    const n = raw === undefined ? 500 : Number(raw);
    return new ResultCache<T>(Number.isInteger(n) && n >= 0 ? n : 500);
  }

  get(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.maxEntries === 0) return compute();
    const found = this.entries.get(key);
    if (found) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, found);
      return found;
    }
    this.misses++;
    const p = compute();
    this.entries.set(key, p);
    p.catch(() => this.entries.delete(key));
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return p;
  }
}
