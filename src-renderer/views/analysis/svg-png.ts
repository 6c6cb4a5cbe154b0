// A figure's SVG rasterised to PNG in the browser (twice the SVG's size) and saved.
import { saveBlob } from '../../lib/download.ts';

export async function saveSvgAsPng(svg: string, name: string): Promise<void> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const c = document.createElement('canvas');
  c.width = img.width * 2;
  c.height = img.height * 2;
  const g = c.getContext('2d')!;
  g.scale(2, 2);
  g.drawImage(img, 0, 0);
  const blob = await new Promise<Blob | null>((r) => c.toBlob(r, 'image/png'));
  if (!blob) throw new Error('the browser gave no PNG for the figure');
  saveBlob(name, blob);
}
