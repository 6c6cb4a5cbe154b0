// A 2-D drawing as a list of marks in world units (lines, circles, polygons, labels), and the SVG
// of one panel of them: the world box fitted into the panel with the vertical axis pointing up.
// Pure string building, used for the replay frames of docs/results.md (./replay-frame.ts).
import type { Vec2 } from '../types.ts';

export type Mark =
  /** A polyline; `width` in pixels, or `worldWidth` in world units (a capsule's diameter). */
  | { kind: 'line'; points: Vec2[]; color: string; width?: number; worldWidth?: number; dash?: boolean; opacity?: number }
  | { kind: 'circle'; center: Vec2; radius: number; fill: string; stroke?: string; opacity?: number }
  /** A circle of a fixed size in pixels (a marker). */
  | { kind: 'dot'; center: Vec2; px: number; fill: string; stroke?: string }
  | { kind: 'polygon'; points: Vec2[]; fill: string; stroke?: string; opacity?: number }
  | { kind: 'label'; at: Vec2; text: string; color?: string };

export interface Box {
  min: Vec2;
  max: Vec2;
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The world box of the marks (labels by their anchor), with a margin of `pad` of its size. */
export function marksBox(marks: readonly Mark[], pad = 0.06): Box {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  const take = (p: Vec2, r = 0) => {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) return;
    x0 = Math.min(x0, p[0] - r);
    y0 = Math.min(y0, p[1] - r);
    x1 = Math.max(x1, p[0] + r);
    y1 = Math.max(y1, p[1] + r);
  };
  for (const m of marks) {
    if (m.kind === 'line' || m.kind === 'polygon') m.points.forEach((p) => take(p, m.kind === 'line' ? (m.worldWidth ?? 0) / 2 : 0));
    else if (m.kind === 'circle') take(m.center, m.radius);
    else if (m.kind === 'dot' || m.kind === 'label') take(m.kind === 'dot' ? m.center : m.at);
  }
  if (!Number.isFinite(x0)) return { min: [-1, -1], max: [1, 1] };
  const w = Math.max(x1 - x0, 1e-6);
  const h = Math.max(y1 - y0, 1e-6);
  return { min: [x0 - pad * w, y0 - pad * h], max: [x1 + pad * w, y1 + pad * h] };
}

export function unionBox(boxes: readonly Box[]): Box {
  return {
    min: [Math.min(...boxes.map((b) => b.min[0])), Math.min(...boxes.map((b) => b.min[1]))],
    max: [Math.max(...boxes.map((b) => b.max[0])), Math.max(...boxes.map((b) => b.max[1]))],
  };
}

const n = (v: number) => (Number.isFinite(v) ? Number(v.toFixed(2)) : 0);

/**
 * The marks inside a `width` x `height` pixel rectangle at (left, top), the world `box` fitted with
 * equal scales on both axes (so shapes keep their proportions), y up.
 */
export function marksSvg(marks: readonly Mark[], box: Box, left: number, top: number, width: number, height: number): string {
  const bw = box.max[0] - box.min[0];
  const bh = box.max[1] - box.min[1];
  const s = Math.min(width / bw, height / bh);
  const ox = left + (width - s * bw) / 2;
  const oy = top + (height - s * bh) / 2;
  const X = (p: Vec2) => n(ox + s * (p[0] - box.min[0]));
  const Y = (p: Vec2) => n(oy + s * (box.max[1] - p[1]));
  const pts = (ps: Vec2[]) => ps.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1])).map((p) => `${X(p)},${Y(p)}`).join(' ');
  const op = (o: number | undefined) => (o === undefined ? '' : ` opacity="${o}"`);
  const out: string[] = [`<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="#fbfbfb" stroke="#ccc"/>`];
  for (const m of marks) {
    if (m.kind === 'line') {
      const w = m.worldWidth !== undefined ? Math.max(1, n(m.worldWidth * s)) : (m.width ?? 1.5);
      out.push(`<polyline points="${pts(m.points)}" fill="none" stroke="${m.color}" stroke-width="${w}" stroke-linecap="round" stroke-linejoin="round"${m.dash ? ' stroke-dasharray="5 4"' : ''}${op(m.opacity)}/>`);
    } else if (m.kind === 'circle') {
      out.push(`<circle cx="${X(m.center)}" cy="${Y(m.center)}" r="${Math.max(1, n(m.radius * s))}" fill="${m.fill}"${m.stroke ? ` stroke="${m.stroke}"` : ''}${op(m.opacity)}/>`);
    } else if (m.kind === 'dot') {
      out.push(`<circle cx="${X(m.center)}" cy="${Y(m.center)}" r="${m.px}" fill="${m.fill}"${m.stroke ? ` stroke="${m.stroke}"` : ''}/>`);
    } else if (m.kind === 'polygon') {
      out.push(`<polygon points="${pts(m.points)}" fill="${m.fill}"${m.stroke ? ` stroke="${m.stroke}"` : ''}${op(m.opacity)}/>`);
    } else {
      out.push(`<text x="${X(m.at)}" y="${Y(m.at)}" font-size="11" fill="${m.color ?? '#333'}">${esc(m.text)}</text>`);
    }
  }
  return out.join('\n');
}
