// Errors the store reports about a database file or a request (unknown id, bad filter).
// The CLI turns them into one line and exit code 2; nothing is written when one is thrown.
export class StoreError extends Error {
  override name = 'StoreError';
}
