/**
 * Fraud-ring detection at the provider (团伙欺诈): a ring is several enterprises that share
 * identifiers (phone, address, legal representative) AND apply to several lenders in one
 * burst. Enterprises are nodes of a graphology graph; two are linked when they share a
 * value and apply within `burstDays` of each other, and the burst covers at least
 * `minShare` of everyone holding that value (an accounting agency's fifty clients at one
 * address and phone, a business centre's tenants, a group's firms under one legal
 * representative do not apply together, so they never qualify). Rings are the connected
 * components (graphology-components) with `minSize` members and `minLenders` lenders.
 *
 * Only enterprises with an application in the last `lookbackDays` are nodes; the others
 * are only counted per shared value. A new application re-clusters the groups of its
 * enterprise's values and re-evaluates one component ({@link RingDetector.addApplication}).
 */
import { createHash } from 'node:crypto';
import { UndirectedGraph } from 'graphology';
import { connectedComponents } from 'graphology-components';
import { normaliseAttribute, RING_ATTRIBUTES, type RingAttribute } from './normalise.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** One application of an enterprise to a lender. */
export interface RingApplication {
  readonly lender: string;
  /** Unix ms. */
  readonly atMs: number;
}

/** An enterprise as the detector sees it: its key, its raw identifiers, its applications. */
export interface RingSubject {
  /** The provider's key of the enterprise (its uscc); never published. */
  readonly key: string;
  readonly phone?: string;
  readonly address?: string;
  readonly legalRepresentative?: string;
  readonly applications?: readonly RingApplication[];
}

/** Tuning of the detector (defaults in brackets). */
export interface RingDetectorInit {
  /** Applications older than this do not make an enterprise a node [60]. */
  readonly lookbackDays?: number;
  /** Largest gap between consecutive first applications inside one burst [10]. */
  readonly burstDays?: number;
  /** Smallest share of a value's holders that must be in the burst [0.5]. */
  readonly minShare?: number;
  /** Smallest ring [3]. */
  readonly minSize?: number;
  /** Fewest distinct lenders applied to by a ring within the lookback [3]. */
  readonly minLenders?: number;
  /** Keyed into ring ids, so they cannot be recomputed from member keys by others. */
  readonly salt?: string;
}

/** A detected ring; `members` stay inside the provider. */
export interface DetectedRing {
  readonly ringId: string;
  readonly members: readonly string[];
  readonly size: number;
  /** Kinds of identifier the members share, in {@link RING_ATTRIBUTES} order. */
  readonly sharedAttributes: readonly RingAttribute[];
  /** Distinct lenders and applications of the members in the 30 days up to `now`. */
  readonly lenders30d: number;
  readonly applications30d: number;
  /** 0–100: grows with size, shared kinds and lenders. */
  readonly riskScore: number;
}

/** What one new application changed for its enterprise. */
export interface RingUpdate {
  readonly ring?: DetectedRing;
  /** True when the enterprise was in no ring before this application and is in one now. */
  readonly joined: boolean;
}

interface EdgeAttributes {
  /** The shared values that link the two enterprises. */
  values: string[];
}

interface Candidate {
  readonly key: string;
  /** `<kind index>:<normalised value>` per identifier held. */
  readonly values: readonly string[];
  readonly apps: RingApplication[];
  firstAtMs: number;
}

function valueKeys(subject: RingSubject): string[] {
  const out: string[] = [];
  RING_ATTRIBUTES.forEach((kind, i) => {
    const v = normaliseAttribute(kind, subject[kind]);
    if (v !== undefined) out.push(`${i}:${v}`);
  });
  return out;
}

/** The detector; build with {@link createRingDetector}. */
export class RingDetector {
  readonly #lookbackMs: number;
  readonly #burstMs: number;
  readonly #minShare: number;
  readonly #minSize: number;
  readonly #minLenders: number;
  readonly #salt: string;
  /** Holders per value, over every enterprise loaded. */
  readonly #counts = new Map<string, number>();
  readonly #candidates = new Map<string, Candidate>();
  /** Candidates per value (only values held by a candidate). */
  readonly #holders = new Map<string, Set<string>>();
  /** Node pairs linked per value, so a value's links can be redone alone. */
  readonly #links = new Map<string, Array<readonly [string, string]>>();
  readonly #graph = new UndirectedGraph<Record<string, never>, EdgeAttributes>({ allowSelfLoops: false });
  readonly #ringOf = new Map<string, DetectedRing>();
  #nowMs: number;
  #enterprises = 0;

  constructor(init: Readonly<RingDetectorInit> = {}, nowMs = Date.now()) {
    this.#lookbackMs = (init.lookbackDays ?? 60) * DAY_MS;
    this.#burstMs = (init.burstDays ?? 10) * DAY_MS;
    this.#minShare = init.minShare ?? 0.5;
    this.#minSize = init.minSize ?? 3;
    this.#minLenders = init.minLenders ?? 3;
    this.#salt = init.salt ?? 'xinlian-ring';
    this.#nowMs = nowMs;
  }

  /** Enterprises loaded, and those with a recent application (graph nodes). */
  get stats(): { readonly enterprises: number; readonly nodes: number; readonly edges: number; readonly rings: number } {
    return { enterprises: this.#enterprises, nodes: this.#graph.order, edges: this.#graph.size, rings: new Set(this.#ringOf.values()).size };
  }

  /**
   * Adds an enterprise (once per enterprise): counts its identifiers and, when it applied
   * within the lookback, makes it a node. Call {@link detect} after loading.
   */
  addEnterprise(subject: RingSubject): void {
    this.#enterprises++;
    const values = valueKeys(subject);
    for (const v of values) this.#counts.set(v, (this.#counts.get(v) ?? 0) + 1);
    const from = this.#nowMs - this.#lookbackMs;
    const apps = (subject.applications ?? []).filter((a) => a.atMs > from && a.atMs <= this.#nowMs);
    if (apps.length > 0) this.#addCandidate(subject.key, values, apps);
  }

  /** Links every value group and finds every ring (full recomputation). */
  detect(): DetectedRing[] {
    this.#graph.clearEdges();
    this.#links.clear();
    this.#ringOf.clear();
    for (const value of this.#holders.keys()) this.#linkValue(value);
    const rings: DetectedRing[] = [];
    for (const component of connectedComponents(this.#graph)) {
      const ring = this.#evaluate(component);
      if (!ring) continue;
      rings.push(ring);
      for (const m of component) this.#ringOf.set(m, ring);
    }
    return rings;
  }

  /** The ring an enterprise is in, if any (as of the last detection or update). */
  ringOf(key: string): DetectedRing | undefined {
    return this.#ringOf.get(key);
  }

  /**
   * Incremental update for one new application of a loaded enterprise: re-links the groups
   * of its values and re-evaluates its component only.
   */
  addApplication(subject: RingSubject, application: RingApplication): RingUpdate {
    const before = this.#ringOf.get(subject.key);
    if (application.atMs > this.#nowMs) this.#nowMs = application.atMs;
    // An application older than the lookback changes nothing (and adds no node).
    if (application.atMs <= this.#nowMs - this.#lookbackMs) return { ...(before ? { ring: before } : {}), joined: false };
    let candidate = this.#candidates.get(subject.key);
    if (candidate) {
      candidate.apps.push(application);
      candidate.firstAtMs = Math.min(candidate.firstAtMs, application.atMs);
    } else {
      candidate = this.#addCandidate(subject.key, valueKeys(subject), [application]);
    }
    // Re-linking may also split a ring some holders of these values were in: re-evaluate the
    // components of everyone in those rings, not only the enterprise's own.
    const touched = new Set([subject.key]);
    for (const v of candidate.values) {
      for (const h of this.#holders.get(v) ?? []) for (const m of this.#ringOf.get(h)?.members ?? []) touched.add(m);
    }
    for (const v of candidate.values) this.#linkValue(v);
    const done = new Set<string>();
    for (const key of touched) {
      if (done.has(key)) continue;
      const component = this.#componentOf(key);
      const ring = this.#evaluate(component);
      for (const m of component) {
        done.add(m);
        if (ring) this.#ringOf.set(m, ring);
        else this.#ringOf.delete(m);
      }
    }
    const ring = this.#ringOf.get(subject.key);
    return { ...(ring ? { ring } : {}), joined: before === undefined && ring !== undefined };
  }

  #addCandidate(key: string, values: string[], apps: RingApplication[]): Candidate {
    const candidate: Candidate = { key, values, apps: [...apps], firstAtMs: Math.min(...apps.map((a) => a.atMs)) };
    this.#candidates.set(key, candidate);
    this.#graph.mergeNode(key);
    for (const v of values) {
      let set = this.#holders.get(v);
      if (!set) this.#holders.set(v, (set = new Set()));
      set.add(key);
    }
    return candidate;
  }

  /** Redoes the links of one value: bursts of its holders that cover `minShare` of them. */
  #linkValue(value: string): void {
    for (const [a, b] of this.#links.get(value) ?? []) {
      const edge = this.#graph.edge(a, b);
      if (edge === undefined) continue;
      const values = this.#graph.getEdgeAttribute(edge, 'values').filter((x) => x !== value);
      if (values.length === 0) this.#graph.dropEdge(edge);
      else this.#graph.setEdgeAttribute(edge, 'values', values);
    }
    this.#links.delete(value);
    const holders = this.#holders.get(value);
    if (!holders || holders.size < 2) return;
    const total = this.#counts.get(value) ?? holders.size;
    const sorted = [...holders].map((k) => this.#candidates.get(k)!).sort((x, y) => x.firstAtMs - y.firstAtMs);
    const links: Array<readonly [string, string]> = [];
    let start = 0;
    for (let i = 1; i <= sorted.length; i++) {
      if (i < sorted.length && sorted[i]!.firstAtMs - sorted[i - 1]!.firstAtMs <= this.#burstMs) continue;
      const burst = i - start;
      if (burst >= 2 && burst / total >= this.#minShare) {
        for (let j = start + 1; j < i; j++) links.push([sorted[j - 1]!.key, sorted[j]!.key]);
      }
      start = i;
    }
    for (const [a, b] of links) {
      const edge = this.#graph.edge(a, b);
      if (edge === undefined) this.#graph.addEdge(a, b, { values: [value] });
      else this.#graph.setEdgeAttribute(edge, 'values', [...this.#graph.getEdgeAttribute(edge, 'values'), value]);
    }
    if (links.length > 0) this.#links.set(value, links);
  }

  #componentOf(key: string): string[] {
    const seen = new Set([key]);
    const queue = [key];
    while (queue.length > 0) {
      this.#graph.forEachNeighbor(queue.pop()!, (n) => {
        if (!seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
      });
    }
    return [...seen];
  }

  #evaluate(members: readonly string[]): DetectedRing | undefined {
    if (members.length < this.#minSize) return undefined;
    const from = this.#nowMs - this.#lookbackMs;
    const from30 = this.#nowMs - 30 * DAY_MS;
    const lenders = new Set<string>();
    const lenders30 = new Set<string>();
    let applications30d = 0;
    for (const m of members) {
      for (const a of this.#candidates.get(m)!.apps) {
        if (a.atMs <= from || a.atMs > this.#nowMs) continue;
        lenders.add(a.lender);
        if (a.atMs > from30) {
          lenders30.add(a.lender);
          applications30d++;
        }
      }
    }
    if (lenders.size < this.#minLenders) return undefined;
    const kinds = new Set<number>();
    const inRing = new Set(members);
    for (const m of members) {
      this.#graph.forEachEdge(m, (_e, attrs, s, t) => {
        if (inRing.has(s) && inRing.has(t)) for (const v of attrs.values) kinds.add(Number(v.slice(0, v.indexOf(':'))));
      });
    }
    const sharedAttributes = RING_ATTRIBUTES.filter((_k, i) => kinds.has(i));
    const sorted = [...members].sort();
    const ringId = `ring-${createHash('sha256').update(`${this.#salt}\n${sorted[0]}`).digest('hex').slice(0, 16)}`;
    const riskScore = Math.min(
      100,
      40 + 8 * Math.min(5, members.length - this.#minSize) + 10 * (sharedAttributes.length - 1) + 4 * Math.min(5, lenders.size - this.#minLenders),
    );
    return { ringId, members: sorted, size: members.length, sharedAttributes, lenders30d: lenders30.size, applications30d, riskScore };
  }
}

/** A detector whose lookback ends at `nowMs` (default: now). */
export function createRingDetector(init: Readonly<RingDetectorInit> = {}, nowMs?: number): RingDetector {
  return new RingDetector(init, nowMs);
}
