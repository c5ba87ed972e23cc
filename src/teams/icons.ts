import { crc32 } from 'node:zlib';
import { zlibSync } from 'fflate';

// The app's two icons, drawn in code: Teams wants a 192x192 full-colour icon and a 32x32 outline
// icon (white on a transparent background). The symbol is a shield with a check mark, kept inside
// the central safe area; edges are anti-aliased by sampling each pixel 4x4 times.

export const ACCENT = { hex: '#1F6F5C', rgb: [0x1f, 0x6f, 0x5c] as const };

type Shape = (u: number, v: number) => boolean;

function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const framed = Buffer.alloc(body.length + 8);
  framed.writeUInt32BE(data.length, 0);
  body.copy(framed, 4);
  framed.writeUInt32BE(crc32(body), body.length + 4);
  return framed;
}

/** A PNG of `rgba` (8-bit RGBA, size x size, rows from the top, each row unfiltered). */
function encodePng(size: number, rgba: Uint8Array): Buffer {
  const header = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 8, 6, 0, 0, 0]); // bit depth 8, colour type RGBA
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  const rows = new Uint8Array((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlibSync(rows)),
    pngChunk('IEND', new Uint8Array()),
  ]);
}

// Coordinates u, v run from -1 to 1 across the symbol's box, v downwards.
const shield =
  (scale: number): Shape =>
  (u, v) => {
    const x = u / scale;
    const y = v / scale;
    if (y < -0.85 || y > 0.95) return false;
    if (y <= 0.15) return Math.abs(x) <= 0.78;
    const t = (y - 0.15) / 0.8;
    return Math.abs(x) <= 0.78 * Math.sqrt(Math.max(0, 1 - t * t));
  };

function nearSegment(u: number, v: number, a: [number, number], b: [number, number], width: number): boolean {
  const [ax, ay] = a;
  const [bx, by] = b;
  const t = Math.max(0, Math.min(1, ((u - ax) * (bx - ax) + (v - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(u - (ax + t * (bx - ax)), v - (ay + t * (by - ay))) <= width;
}

const check =
  (width: number): Shape =>
  (u, v) =>
    nearSegment(u, v, [-0.38, 0.02], [-0.1, 0.3], width) || nearSegment(u, v, [-0.1, 0.3], [0.4, -0.28], width);

/** Renders `paint` (colour and coverage per point) into a size x size RGBA PNG. */
function draw(size: number, box: number, paint: (u: number, v: number) => [number, number, number, number]): Buffer {
  const pixels = new Uint8Array(size * size * 4);
  const samples = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const u = ((x + (sx + 0.5) / samples) / size - 0.5) * (2 / box);
          const v = ((y + (sy + 0.5) / samples) / size - 0.5) * (2 / box);
          const [r, g, b, a] = paint(u, v);
          sum[0] = (sum[0] ?? 0) + r * a;
          sum[1] = (sum[1] ?? 0) + g * a;
          sum[2] = (sum[2] ?? 0) + b * a;
          sum[3] = (sum[3] ?? 0) + a;
        }
      }
      const alpha = (sum[3] ?? 0) / samples ** 2;
      const at = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) pixels[at + c] = alpha ? Math.round((sum[c] ?? 0) / (sum[3] ?? 1)) : 0;
      pixels[at + 3] = Math.round(alpha * 255);
    }
  }
  return encodePng(size, pixels);
}

const WHITE: [number, number, number] = [255, 255, 255];

/** 192x192: the accent colour edge to edge, a white shield, the check mark in the accent colour. */
export function drawColorIcon(): Buffer {
  const inShield = shield(1);
  const inCheck = check(0.09);
  const accent: [number, number, number] = [...ACCENT.rgb];
  return draw(192, 0.62, (u, v) => {
    if (inShield(u, v) && !inCheck(u, v)) return [...WHITE, 1];
    return [...accent, 1];
  });
}

/** 32x32: a white shield outline and check mark on transparency, as Teams' outline icons are. */
export function drawOutlineIcon(): Buffer {
  const outer = shield(1);
  const inner = shield(0.8);
  const inCheck = check(0.1);
  return draw(32, 0.9, (u, v) => {
    const on = (outer(u, v) && !inner(u, v)) || inCheck(u, v);
    return on ? [...WHITE, 1] : [0, 0, 0, 0];
  });
}
