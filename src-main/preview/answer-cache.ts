// The last answers of a worker-backed analysis (landscapes, critical scores, rollout fans), kept
// by request key: a hit becomes the most recently used, the least recently used goes first, and a
// failed answer is not remembered (the next ask tries again).
export function answerCache<T>(size: number): (key: string, make: () => Promise<T>) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key, make) => {
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit); // most recently used last
      return hit;
    }
    const p = make();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
    while (cache.size > size) cache.delete(cache.keys().next().value!);
    return p;
  };
}
