import "server-only";

/** Seeded randomness so that a manual-clock simulator produces the same names and uids on every run. */

// The alphabet Kubernetes uses for generated name suffixes and hashes (k8s.io/apimachinery/pkg/util/rand).
export const SAFE_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** mulberry32: small, fast and good enough for names. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  /** Suffix as used by `metadata.generateName` (5 characters). */
  nameSuffix(length = 5): string {
    let out = "";
    for (let i = 0; i < length; i++) out += SAFE_ALPHANUMS[this.int(SAFE_ALPHANUMS.length)];
    return out;
  }

  hex(length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += this.int(16).toString(16);
    return out;
  }

  uuid(): string {
    const h = this.hex(32).split("");
    h[12] = "4";
    h[16] = ((parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
    const s = h.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
  }
}
