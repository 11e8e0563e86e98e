/**
 * Highest product classification (JR/T 0197 level) an institution may receive, from its
 * roles. Licensed lenders and regulators may receive level 4; guarantors and exchanges 3;
 * anyone else 2. The provider derives it from the ledger's institution registry.
 */
const CLEARANCE_BY_ROLE: Readonly<Record<string, number>> = {
  regulator: 4,
  bank: 4,
  microlender: 4,
  guarantor: 3,
  provider: 3,
  exchange: 2,
  operator: 2,
};

export function clearanceOf(roles: readonly string[]): number {
  return roles.reduce((max, role) => Math.max(max, CLEARANCE_BY_ROLE[role] ?? 1), 1);
}
