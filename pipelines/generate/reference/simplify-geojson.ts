/**
 * Shrinks a boundary GeoJSON for the dashboard map: keeps only the features a mapper accepts,
 * simplifies every ring with Douglas-Peucker and rounds coordinates to 4 decimals (~10 m, far
 * below the 500 m generalisation ONS already applied). Tiny islands that collapse are dropped,
 * but each polygon's outer ring is always kept.
 */
import { readFileSync, writeFileSync } from 'node:fs';

type Position = [number, number];
type Ring = Position[];
interface Feature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

const TOLERANCE_DEGREES = 0.0006;
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

function perpendicularDistance(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Iterative Douglas-Peucker (no recursion: long coastlines would overflow the stack). */
function douglasPeucker(points: Ring, tolerance: number): Ring {
  if (points.length <= 3) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop()!;
    let maxDist = 0;
    let index = -1;
    for (let i = first + 1; i < last; i++) {
      const d = perpendicularDistance(points[i]!, points[first]!, points[last]!);
      if (d > maxDist) {
        maxDist = d;
        index = i;
      }
    }
    if (index >= 0 && maxDist > tolerance) {
      keep[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

function simplifyRing(ring: Ring, isOuter: boolean): Ring | null {
  // A closed ring's first and last points coincide; split it in two so DP has distinct anchors.
  const mid = Math.floor(ring.length / 2);
  const halves = [...douglasPeucker(ring.slice(0, mid + 1), TOLERANCE_DEGREES).slice(0, -1), ...douglasPeucker(ring.slice(mid), TOLERANCE_DEGREES)];
  const rounded: Ring = [];
  for (const [x, y] of halves) {
    const p: Position = [round4(x), round4(y)];
    const prev = rounded[rounded.length - 1];
    if (!prev || prev[0] !== p[0] || prev[1] !== p[1]) rounded.push(p);
  }
  if (rounded.length >= 4) return rounded;
  return isOuter ? ring.map(([x, y]) => [round4(x), round4(y)] as Position) : null;
}

function simplifyPolygon(rings: Ring[]): Ring[] {
  return rings.map((r, i) => simplifyRing(r, i === 0)).filter((r): r is Ring => r !== null);
}

/** Returns the number of bytes written. `mapProperties` returns null to drop a feature. */
export function writeSimplifiedGeoJson(
  inputPath: string,
  outputPath: string,
  mapProperties: (p: Record<string, unknown>) => Record<string, string> | null,
): number {
  const input = JSON.parse(readFileSync(inputPath, 'utf8')) as { features: Feature[] };
  const features: Feature[] = [];
  for (const f of input.features) {
    const properties = mapProperties(f.properties);
    if (!properties) continue;
    const geometry: Feature['geometry'] =
      f.geometry.type === 'Polygon'
        ? { type: 'Polygon', coordinates: simplifyPolygon(f.geometry.coordinates) }
        : { type: 'MultiPolygon', coordinates: f.geometry.coordinates.map(simplifyPolygon).filter((p) => p.length > 0) };
    features.push({ type: 'Feature', properties, geometry });
  }
  features.sort((a, b) => String(a.properties['code']).localeCompare(String(b.properties['code'])));
  const text = JSON.stringify({ type: 'FeatureCollection', features }) + '\n';
  writeFileSync(outputPath, text);
  return Buffer.byteLength(text);
}
