/**
 * The drawn extent of each `<text>` in an SVG, measured by resvg with the given options (so with the
 * same font the PNG is drawn with): every text element is rendered alone, in the document's own
 * <svg> element, and its ink's bounding box read back. ECharts' SSR output draws texts as flat
 * siblings whose placement is on the element itself (x, y, transform), so a text alone is placed
 * exactly as in the full chart.
 */
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

export interface TextBox {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

const decode = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** One box per non-empty `<text>` element, in the SVG's coordinates. */
export function textBoxes(svg: string, opts: ResvgRenderOptions): TextBox[] {
  const open = /^[\s\S]*?<svg\b[^>]*>/.exec(svg)?.[0];
  if (!open) throw new Error('no <svg> element');
  const boxes: TextBox[] = [];
  for (const m of svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)) {
    const text = decode(m[1]!.replace(/<[^>]+>/g, ''));
    if (text.trim() === '') continue;
    const bbox = new Resvg(`${open}${m[0]}</svg>`, { ...opts, background: undefined }).getBBox();
    if (!bbox) throw new Error(`no box for text ${JSON.stringify(text)}`);
    boxes.push({ text, x: bbox.x, y: bbox.y, width: bbox.width, height: bbox.height });
  }
  return boxes;
}

/** Whether two boxes share an area, or come closer than `gap` pixels to each other. */
export function overlap(a: TextBox, b: TextBox, gap = 0): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}
