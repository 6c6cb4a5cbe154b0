// Replay frames as an SVG figure: two or more episodes of the same task side by side (PPO beside
// SAC from the same start state in docs/results.md), each panel one frame drawn from the lab's own
// scene code (./scene-marks.ts) with the path up to it, on one shared world box so the panels
// compare at a glance. Pure: numbers in, an SVG document out.
import type { DrawFrame, Scenery } from '../types.ts';
import { esc, marksBox, marksSvg, unionBox } from './marks.ts';
import { frameMarks, scenePlane } from './scene-marks.ts';

export interface ReplayPanel {
  /** Lines above the panel: which run, which episode, its return, which frame. */
  heading: string[];
  scenery: Scenery;
  frames: readonly DrawFrame[];
  /** The frame shown (the path is drawn up to it). */
  k: number;
  /** Colour of the path and the body. */
  color: string;
}

const AXES: Record<'xy' | 'xz', string> = { xy: 'x right, y up', xz: 'x right, z up' };

/** One SVG document: `title`, then the panels in a row, each with its heading lines. */
export function replayFramesSvg(title: string, panels: readonly ReplayPanel[], size: { width: number; height: number } = { width: 460, height: 360 }): string {
  if (panels.length === 0) throw new Error('replay frames: no panel to draw');
  const marks = panels.map((p) => frameMarks(p.scenery, p.frames, p.k, p.color));
  const box = unionBox(marks.map((m) => marksBox(m)));
  const gap = 16;
  const headLines = Math.max(...panels.map((p) => p.heading.length));
  const top = 30 + 15 * headLines;
  const width = gap + panels.length * (size.width + gap);
  const height = top + size.height + 24;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${gap}" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`,
  ];
  panels.forEach((p, i) => {
    const left = gap + i * (size.width + gap);
    p.heading.forEach((line, j) => out.push(`<text x="${left}" y="${36 + 15 * j}" font-size="11" fill="${j === 0 ? p.color : '#333'}">${esc(line)}</text>`));
    out.push(marksSvg(marks[i]!, box, left, top, size.width, size.height));
  });
  const plane = scenePlane(panels[0]!.scenery);
  const note = panels[0]!.scenery.env === 'toy' ? 'the toy graph: nodes s0-s5, action axes [-1, 1] under s0 and s1 (good band in green)' : `world units, equal scales, ${AXES[plane]}`;
  out.push(`<text x="${gap}" y="${height - 8}" font-size="10" fill="#666">${esc(note)}</text>`, '</svg>');
  return `${out.join('\n')}\n`;
}
