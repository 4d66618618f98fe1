/** A small bounded map whose entries expire: the resolver's memory of MLflow lookups. */

export class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>()
  readonly #ttlMs: number
  readonly #max: number
  readonly #now: () => number

  constructor(ttlMs: number, max: number, now: () => number = Date.now) {
    this.#ttlMs = ttlMs
    this.#max = max
    this.#now = now
  }

  get(key: string): V | undefined {
    const hit = this.#entries.get(key)
    if (!hit) return undefined
    if (hit.expires <= this.#now()) {
      this.#entries.delete(key)
      return undefined
    }
    return hit.value
  }

  set(key: string, value: V): void {
    this.#entries.delete(key)
    // Oldest first: Map keeps insertion order, so the first key is the least recently set.
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!)
    this.#entries.set(key, { value, expires: this.#now() + this.#ttlMs })
  }

  delete(key: string): void {
    this.#entries.delete(key)
  }

  clear(): void {
    this.#entries.clear()
  }
}
