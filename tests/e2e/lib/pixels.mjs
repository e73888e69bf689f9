// Pixel checks of a room screenshot: every tile really shows video, and its name bar is
// drawn over it with readable contrast. Used by scenario 16 and screenshots.mjs.
import { decodePng, forEachPixel } from './png.mjs';

const luma = (r, g, b) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

/**
 * Chromium's fake camera draws a green picture (dark green field, bright green shapes and
 * clock). Video pixel: green clearly dominant.
 */
const isVideo = (r, g, b) => g >= 60 && g > r + 30 && g > b + 30;
/** Name text: light grey/white (kText is 232,234,240), not green. */
const isText = (r, g, b) => r > 170 && g > 170 && b > 170 && Math.abs(r - g) < 40;
/** Name bar: black at 170/255 over the video. */
const isBar = (r, g, b) => Math.max(r, g, b) < 75;

/** Measures one tile {x, y, w, h} (CSS px; the screenshot is at scale). */
export function measureTile(img, tile, scale = 1) {
  const t = { x: tile.x * scale, y: tile.y * scale, w: tile.w * scale, h: tile.h * scale };
  // The middle of the tile (away from the badges and the name bar).
  const inner = { x: t.x + t.w * 0.15, y: t.y + t.h * 0.2, w: t.w * 0.7, h: t.h * 0.55 };
  let n = 0, video = 0;
  const colours = new Set();
  forEachPixel(img, inner, (r, g, b) => {
    n++;
    if (isVideo(r, g, b)) video++;
    colours.add((r >> 4) << 8 | (g >> 4) << 4 | (b >> 4));
  });
  // The name bar sits in the bottom-left corner: a band about two text lines high.
  const band = { x: t.x + 2 * scale, y: t.y + t.h - 44 * scale, w: Math.min(t.w * 0.75, 320 * scale), h: 42 * scale };
  let text = 0, bar = 0, textLuma = 0, barLuma = 0;
  forEachPixel(img, band, (r, g, b) => {
    if (isText(r, g, b)) { text++; textLuma += luma(r, g, b); }
    else if (isBar(r, g, b)) { bar++; barLuma += luma(r, g, b); }
  });
  return {
    videoFraction: n ? video / n : 0,
    colours: colours.size,
    textPixels: text,
    barPixels: bar,
    contrast: text && bar ? textLuma / text - barLuma / bar : 0,
  };
}

/**
 * Checks a PNG screenshot of a room against the page's state: every tile (the self tile
 * and each participant with a tile) shows video and a name bar. Returns {ok, tiles, problems}.
 */
export function checkRoomScreenshot(png, state, { scale = 1, minVideo = 0.5 } = {}) {
  const img = decodePng(png);
  const tiles = [];
  if (state.self?.tile) tiles.push({ id: state.selfId, self: true, rect: state.self.tile });
  for (const p of state.participants) if (p.tile) tiles.push({ id: p.id, self: false, rect: p.tile });
  const problems = [];
  const results = tiles.map((t) => {
    const m = measureTile(img, t.rect, scale);
    const who = t.self ? `self tile ${t.id}` : `tile ${t.id}`;
    if (m.videoFraction < minVideo) problems.push(`${who}: only ${(m.videoFraction * 100).toFixed(0)} % video pixels`);
    if (m.colours < 3) problems.push(`${who}: flat (${m.colours} colours)`);
    if (m.textPixels < 25) problems.push(`${who}: name text missing (${m.textPixels} light pixels)`);
    if (m.barPixels < 150) problems.push(`${who}: name bar missing (${m.barPixels} dark pixels)`);
    if (m.contrast < 120) problems.push(`${who}: name contrast ${m.contrast.toFixed(0)} < 120`);
    return { ...t, ...m };
  });
  return { ok: problems.length === 0, width: img.width, height: img.height, tiles: results, problems };
}
