// Element ids for form fields from spec paths: 'algorithms[0].hyperparameters.alpha' ->
// 'f-algorithms-0-hyperparameters-alpha' (and 'err-...' for the message beside it).
export function fieldId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9_]+/g, '-').replace(/-+$/, '')}`;
}

export function errorId(path: string): string {
  return `err-${path.replace(/[^A-Za-z0-9_]+/g, '-').replace(/-+$/, '')}`;
}
