/** Reference tables the generator draws from (synthetic, not real firms). */

export interface District {
  readonly code: string;
  readonly name: string;
}

/** Real administrative division codes (positions 3–8 of a USCC). */
export const DISTRICTS: readonly District[] = [
  { code: '440106', name: '广州市天河区' },
  { code: '440104', name: '广州市越秀区' },
  { code: '440105', name: '广州市海珠区' },
  { code: '440111', name: '广州市白云区' },
  { code: '440113', name: '广州市番禺区' },
  { code: '440304', name: '深圳市福田区' },
  { code: '440305', name: '深圳市南山区' },
  { code: '440306', name: '深圳市宝安区' },
  { code: '350102', name: '福州市鼓楼区' },
  { code: '350103', name: '福州市台江区' },
  { code: '110105', name: '北京市朝阳区' },
  { code: '110108', name: '北京市海淀区' },
];

/** GB/T 4754 sections with their share of firms. */
export const INDUSTRIES: readonly string[] = [
  'C',
  'C',
  'C',
  'F',
  'F',
  'F',
  'F',
  'I',
  'I',
  'M',
  'E',
  'G',
  'L',
  'L',
  'H',
  'H',
  'A',
  'K',
];

export const NAME_WORDS: readonly string[] = [
  '恒信',
  '华盛',
  '鑫源',
  '宏达',
  '创新',
  '海联',
  '金穗',
  '明德',
  '瑞丰',
  '远航',
  '新锐',
  '天成',
  '万通',
  '嘉禾',
  '卓越',
  '东方',
];
export const NAME_TRADES: Readonly<Record<string, string>> = {
  A: '农业科技',
  C: '制造',
  E: '建设工程',
  F: '贸易',
  G: '物流',
  H: '餐饮管理',
  I: '信息技术',
  K: '置业',
  L: '商务服务',
  M: '技术服务',
};

export const ROADS: readonly string[] = [
  '中山路',
  '解放路',
  '人民路',
  '建设路',
  '科技园路',
  '工业大道',
  '滨江路',
  '五四路',
];
export const AUTHORITIES: readonly string[] = [
  'market-regulation',
  'tax',
  'environment',
  'fire-safety',
  'labour',
];

/** The demo's lenders: `lender-1`, `lender-2` banks, `lender-3`…`lender-5` microloan companies. */
export const LENDERS: readonly { readonly id: string; readonly type: 'bank' | 'microloan' }[] = [
  { id: 'lender-1', type: 'bank' },
  { id: 'lender-2', type: 'bank' },
  { id: 'lender-3', type: 'microloan' },
  { id: 'lender-4', type: 'microloan' },
  { id: 'lender-5', type: 'microloan' },
];
export const LENDER_IDS: readonly string[] = LENDERS.map((l) => l.id);
