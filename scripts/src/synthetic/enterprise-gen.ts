import type {
  AdministrativePenalty,
  CourtJudgment,
  EnterpriseRecord,
  GroundTruth,
  LendingRecord,
  TaxGrade,
  Trajectory,
} from '@xinlian/connector';
import { addressFor, legalRepresentativeFor, phoneFor, usccFor } from './identifiers.js';
import {
  multiBorrowing,
  ordinaryLending,
  ringLending,
  type LendingProfile,
} from './lending-gen.js';
import { between, int, pick, type Random, streamFor } from './prng.js';
import {
  AUTHORITIES,
  DISTRICTS,
  INDUSTRIES,
  NAME_TRADES,
  NAME_WORDS,
  ROADS,
} from './reference-data.js';
import { ringAt, ringMemberIdentifiers, sharedGroupAt } from './rings.js';
import { DAY_MS, isoDay, monthEnd } from './time.js';

const SALT = 0xe17e;

/** Monthly growth factor range per trajectory. */
const GROWTH: Readonly<Record<Trajectory, readonly [number, number]>> = {
  steady: [0.995, 1.005],
  growing: [1.025, 1.05],
  declining: [0.93, 0.97],
  shell: [1, 1],
};

function taxGrade(r: Random, t: Trajectory, ageDays: number): TaxGrade {
  if (ageDays < 365) return 'M';
  const u = r();
  if (t === 'shell') return u < 0.5 ? 'C' : 'D';
  if (t === 'declining') return u < 0.3 ? 'B' : u < 0.8 ? 'C' : 'D';
  return u < 0.45 ? 'A' : u < 0.95 ? 'B' : 'C';
}

/** Up to `max` events, each further one with chance `p`. */
function count(r: Random, p: number, max: number): number {
  let n = 0;
  while (n < max && r() < p) n++;
  return n;
}

function negativeRecords(r: Random, t: Trajectory, asOfMs: number, ageDays: number) {
  const daysAgo = () => int(r, 1, Math.max(1, Math.min(ageDays - 1, 3 * 365)));
  const penaltyChance = t === 'declining' ? 0.55 : t === 'shell' ? 0.3 : 0.08;
  const penalties: AdministrativePenalty[] = [];
  for (let n = count(r, penaltyChance, 4); n > 0; n--) {
    penalties.push({
      on: isoDay(asOfMs - daysAgo() * DAY_MS),
      amount: int(r, 1, 50) * 1000,
      authority: pick(r, AUTHORITIES),
    });
  }
  penalties.sort((a, b) => (a.on < b.on ? -1 : 1));
  const judgments: CourtJudgment[] = [];
  if (r() < (t === 'declining' ? 0.4 : 0.05)) {
    const enforcing = t === 'declining' && r() < 0.5;
    judgments.push({
      on: isoDay(asOfMs - daysAgo() * DAY_MS),
      amount: int(r, 5, 500) * 1000,
      status: enforcing ? 'enforcing' : 'closed',
      dishonestDebtor: enforcing && r() < 0.3,
    });
  }
  return { penalties, judgments };
}

/**
 * Enterprise `index` of the data set `(seed, asOf)`, with its ground truth. Depends
 * only on its arguments: enterprise i never needs enterprises 0 … i−1.
 * @param seed the seed hash ({@link seedHash})
 * @param asOfMs start of the as-of day (UTC ms)
 */
export function generateEnterprise(
  seed: number,
  index: number,
  asOfMs: number,
): { record: EnterpriseRecord; truth: GroundTruth } {
  const r = streamFor(seed, SALT, index);
  const ring = ringAt(seed, index);
  const group = ring ? undefined : sharedGroupAt(seed, index);
  const member = ring ? ringMemberIdentifiers(seed, ring, index) : undefined;
  let trajectory: Trajectory;
  let multiBorrower = false;
  if (ring) trajectory = r() < 0.5 ? 'shell' : 'declining';
  else {
    const u = r();
    if (u < 0.03) trajectory = 'shell';
    else if (u < 0.06) {
      multiBorrower = true;
      trajectory = r() < 0.6 ? 'declining' : 'steady';
    } else trajectory = u < 0.55 ? 'steady' : u < 0.78 ? 'growing' : 'declining';
  }
  const shell = trajectory === 'shell';
  const district = ring?.district ?? group?.district ?? pick(r, DISTRICTS);
  const industry = pick(r, INDUSTRIES);
  const ageDays = shell
    ? int(r, 60, 540)
    : Math.min(30 * 365, Math.floor((0.3 + -Math.log(1 - r()) * 6) * 365));
  const registeredMs = asOfMs - ageDays * DAY_MS;
  const [gLo, gHi] = GROWTH[trajectory];
  const growth = between(r, gLo, gHi);
  const staff0 = shell
    ? int(r, 0, 1)
    : Math.max(1, Math.floor(Math.exp(r() * 5.3) * (trajectory === 'declining' ? 1.6 : 1)));
  const taxPerHead = int(r, 400, 3000);
  const taxPaid: number[] = [];
  const headcount: number[] = [];
  const electricityKwh: number[] = [];
  const waterTons: number[] = [];
  for (let m = 0; m < 24; m++) {
    const alive = registeredMs < monthEnd(asOfMs, 23 - m);
    const staff = alive
      ? Math.max(0, Math.round(staff0 * growth ** m * between(r, 0.95, 1.05)))
      : 0;
    headcount.push(staff);
    const tax =
      !alive || shell
        ? alive && r() < 0.05
          ? int(r, 10, 300)
          : 0
        : Math.round(staff * taxPerHead * between(r, 0.7, 1.3));
    taxPaid.push(r() < 0.05 ? 0 : tax);
    if (m >= 12) {
      const closing = trajectory === 'declining' && m >= 21 && r() < 0.3;
      electricityKwh.push(
        !alive || closing
          ? 0
          : shell
            ? r() < 0.3
              ? int(r, 1, 20)
              : 0
            : Math.round(staff * 300 * between(r, 0.6, 1.4)) + 50,
      );
      waterTons.push(
        !alive || closing || shell ? 0 : Math.round(staff * 3 * between(r, 0.6, 1.4)) + 1,
      );
    }
  }
  const profile: LendingProfile = {
    asOfMs,
    registeredMs,
    loanSize: Math.max(100_000, taxPerHead * Math.max(1, staff0) * 12 * 3),
    overdueChance: trajectory === 'declining' ? 0.25 : shell ? 0.5 : 0.02,
  };
  const lending: LendingRecord[] = ring
    ? ringLending(r, profile, ring.windowStartDaysAgo)
    : multiBorrower
      ? multiBorrowing(r, profile)
      : ordinaryLending(r, profile);
  const uscc = usccFor(seed, index, district.code);
  const record: EnterpriseRecord = {
    uscc,
    name: `${district.name.slice(0, 3)}${pick(r, NAME_WORDS)}${NAME_TRADES[industry] ?? '实业'}有限公司`,
    registeredOn: isoDay(registeredMs),
    registeredCapital: shell
      ? int(r, 1000, 5000) * 10_000
      : int(r, 10, 500) * 10_000 * Math.max(1, Math.round(staff0 / 10)),
    industry,
    district: district.code,
    legalRepresentative:
      member?.legalRepresentative ?? group?.legalRepresentative ?? legalRepresentativeFor(seed, index),
    phone: member?.phone ?? group?.phone ?? phoneFor(seed, index),
    address: member?.address ?? group?.address ?? addressFor(district.name, pick(r, ROADS), index),
    seriesEnd: isoDay(asOfMs).slice(0, 7),
    taxPaid,
    taxGrade: taxGrade(r, trajectory, ageDays),
    headcount,
    electricityKwh,
    waterTons,
    ...negativeRecords(r, trajectory, asOfMs, ageDays),
    lending,
  };
  const truth: GroundTruth = {
    uscc,
    trajectory,
    shell,
    multiBorrower,
    ...(ring && member ? { ringId: ring.id, ringAttribute: member.shared[0], ringAttributes: member.shared } : {}),
    ...(group ? { sharedGroup: group.kind, sharedGroupId: group.id } : {}),
  };
  return { record, truth };
}
