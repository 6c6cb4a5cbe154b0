// The Content-Security-Policy of the renderer, sent as a header by the Electron shell and by
// `lab serve` (and repeated in src-renderer/index.html's meta tag): local code only, no remote
// content, no eval (WebAssembly compilation allowed for bundled wasm), no plugins, no framing.
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The same policy while developing (`electron-vite dev`): the dev server's hot-reload socket is allowed. */
export function devCsp(devServer: string): string {
  const ws = devServer.replace(/^http/, 'ws');
  return CSP.replace("connect-src 'self'", `connect-src 'self' ${devServer} ${ws}`);
}
