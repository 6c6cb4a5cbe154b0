// Saving exports from the renderer (charts, tables, replays, bundles): a Blob or data URL handed to
// the browser's download (in the desktop app Electron's download handling asks where to save). Nothing leaves the machine.
function clickDownload(href: string, name: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  clickDownload(url, name);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function saveText(name: string, text: string, mime: string): void {
  saveBlob(name, new Blob([text], { type: `${mime};charset=utf-8` }));
}

export function saveDataUrl(name: string, dataUrl: string): void {
  clickDownload(dataUrl, name);
}

export function saveBase64(name: string, base64: string, mime = 'application/octet-stream'): void {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  saveBlob(name, new Blob([bytes], { type: mime }));
}

/** A file-name-safe slug of a chart title. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'chart';
}
