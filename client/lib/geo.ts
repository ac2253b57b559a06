/**
 * GeoJSON helpers for Vega's d3-geo. RFC 7946 files wind exterior rings anticlockwise; d3-geo
 * reads rings on the sphere and wants them clockwise, otherwise a polygon means "everything but
 * this shape" and fills the whole map. `rewindForD3` fixes the winding without changing shapes.
 */
type Position = number[];
type Ring = Position[];

export interface GeoFeature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

export interface GeoCollection {
  type: 'FeatureCollection';
  features: GeoFeature[];
}

/** Twice the planar signed area: positive when anticlockwise (lon east, lat north). */
export function signedArea2(ring: Ring): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) s += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return s;
}

function orient(ring: Ring, clockwise: boolean): Ring {
  const isClockwise = signedArea2(ring) < 0;
  return isClockwise === clockwise ? ring : [...ring].reverse();
}

function rewindPolygon(rings: Ring[]): Ring[] {
  return rings.map((r, i) => orient(r, i === 0));
}

export function rewindForD3(fc: GeoCollection): GeoFeature[] {
  return fc.features.map((f) => {
    const g = f.geometry;
    const geometry =
      g.type === 'Polygon'
        ? { type: 'Polygon' as const, coordinates: rewindPolygon(g.coordinates) }
        : { type: 'MultiPolygon' as const, coordinates: g.coordinates.map(rewindPolygon) };
    return { type: 'Feature', properties: f.properties, geometry };
  });
}
