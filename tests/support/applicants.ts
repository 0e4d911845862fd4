/**
 * Made-up applicants for the privacy tests (#12, R9): names unlike anything else a hall shows,
 * valid mobile numbers and resident ID numbers (GB 11643 check character computed).
 */
const SURNAMES = ['欧阳', '司马', '诸葛', '上官', '皇甫', '东方', '慕容', '令狐'];
const GIVEN = ['雨桐', '梓涵', '浩然', '思远', '婉清', '子墨', '嘉懿', '沐宸', '语汐', '承泽'];
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** An 18-character resident ID number with a valid check character. */
export function residentId(n: number): string {
  const born = new Date(Date.UTC(1950, 0, 1) + ((n * 7919) % 20000) * 86_400_000);
  const ymd = born.toISOString().slice(0, 10).replaceAll('-', '');
  const body = `310104${ymd}${String(100 + (n % 900)).padStart(3, '0')}`;
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * WEIGHTS[i]!, 0);
  return body + CHECK[sum % 11]!;
}

/** Eight digits in steps of 1, 3, 7 or 9: no runs like 000000 that other strings hold by chance. */
function phoneDigits(n: number): string {
  const step = [1, 3, 7, 9][n % 4]!;
  const start = Math.floor(n / 4) % 10;
  return Array.from({ length: 8 }, (_, i) => (start + i * step) % 10).join('');
}

export type Applicant = { name: string; phone: string; idNumber: string };

/** The `n`th applicant: a four-character name, a 139 mobile number, an ID number. */
export function applicant(n: number): Applicant {
  return {
    name: `${SURNAMES[n % SURNAMES.length]}${GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length]}`,
    phone: `139${phoneDigits(n)}`,
    idNumber: residentId(n),
  };
}

/**
 * What must never appear where the public (or a log) can see it: the full name, its given name,
 * and any six digits in a row of the phone or ID number (the masked `139****5678` keeps four).
 */
export function fragmentsOf(a: Applicant): string[] {
  const digits = (s: string) => Array.from({ length: s.length - 5 }, (_, i) => s.slice(i, i + 6));
  return [a.name, a.name.slice(2), ...digits(a.phone), ...digits(a.idNumber.slice(0, 17))];
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * The text of everything in `messages` a person could read: every string in them (keys and values,
 * ids aside: a random id holds digit runs by chance), or the text itself. Numbers are instants and
 * counts, never an applicant's data (which the hub keeps as strings).
 */
export function readableText(messages: readonly unknown[]): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v.replace(UUID, ''));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        out.push(k);
        walk(x);
      }
  };
  messages.forEach(walk);
  return out.join('\n');
}

/** The fragments of `applicants` found in `text`. */
export function leaked(text: string, applicants: readonly Applicant[]): string[] {
  return applicants.flatMap(fragmentsOf).filter((f) => text.includes(f));
}
