/**
 * Places the journey passes through. Coordinates are city centres (for data centres, the town that
 * hosts them), enough for great-circle distances to within a few kilometres.
 */
export interface Site {
  readonly id: string;
  readonly name: string;
  readonly lat: number;
  readonly lon: number;
}

export const SITES = {
  paris: { id: "paris", name: "Paris", lat: 48.8566, lon: 2.3522 },
  london: { id: "london", name: "London", lat: 51.5074, lon: -0.1278 },
  frankfurt: { id: "frankfurt", name: "Frankfurt", lat: 50.1109, lon: 8.6821 },
  tokyo: { id: "tokyo", name: "Tokyo", lat: 35.6762, lon: 139.6503 },
  singapore: { id: "singapore", name: "Singapore", lat: 1.3521, lon: 103.8198 },
  "sao-paulo": { id: "sao-paulo", name: "São Paulo", lat: -23.5505, lon: -46.6333 },
  "new-york": { id: "new-york", name: "New York", lat: 40.7128, lon: -74.006 },
  miami: { id: "miami", name: "Miami", lat: 25.7617, lon: -80.1918 },
  "los-angeles": { id: "los-angeles", name: "Los Angeles", lat: 34.0522, lon: -118.2437 },
  /** us-central1's data centres are in Council Bluffs, Iowa. */
  "council-bluffs": { id: "council-bluffs", name: "Council Bluffs, Iowa", lat: 41.2619, lon: -95.8608 },
  /** europe-west1 is in Saint-Ghislain, Belgium. */
  "saint-ghislain": { id: "saint-ghislain", name: "Saint-Ghislain, Belgium", lat: 50.4706, lon: 3.8158 },
  /** asia-northeast1 is in the Tokyo area. */
  "tokyo-dc": { id: "tokyo-dc", name: "Tokyo (asia-northeast1)", lat: 35.6895, lon: 139.6917 },
  /** User cities of the BGP lessons' simulated internet (src/sim/bgp/default-topology.ts). */
  madrid: { id: "madrid", name: "Madrid", lat: 40.4168, lon: -3.7038 },
  johannesburg: { id: "johannesburg", name: "Johannesburg", lat: -26.2041, lon: 28.0473 },
} as const satisfies Record<string, Site>;

export type SiteId = keyof typeof SITES;

export function site(id: SiteId): Site {
  return SITES[id];
}

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance by the haversine formula, in kilometres. */
export function greatCircleKm(a: Site, b: Site): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Light in silica fibre travels at about c / 1.47 ≈ 204,000 km/s; the course uses the round
 * 200,000 km/s, i.e. 200 km per millisecond. Real cables follow coasts and roads and run longer than
 * the great circle, so real one-way times are higher than this floor, never lower.
 */
export const FIBRE_KM_PER_MS = 200;

/** The physical floor on one-way delay over a distance. */
export function fibreMs(km: number): number {
  return km / FIBRE_KM_PER_MS;
}
