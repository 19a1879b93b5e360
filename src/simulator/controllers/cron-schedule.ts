/**
 * Standard five-field cron schedules (minute hour day-of-month month day-of-week, as robfig/cron's
 * standard parser that the CronJob controller uses), evaluated in UTC: `*`, `?`, numbers, names
 * (JAN, MON), ranges, steps and lists, plus the @yearly/@annually/@monthly/@weekly/@daily/@midnight/
 * @hourly macros. When both day fields are restricted, a day matches if either does (cron semantics).
 */

/** A parsed schedule. */
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  doms: Set<number>;
  months: Set<number>;
  dows: Set<number>;
  domStar: boolean;
  dowStar: boolean;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function field(
  text: string,
  min: number,
  max: number,
  names: string[] | undefined,
  nameBase: number,
): Set<number> | string {
  const out = new Set<number>();
  const num = (s: string): number => {
    const i = names ? names.indexOf(s.toUpperCase()) : -1;
    return i >= 0 ? i + nameBase : /^\d+$/.test(s) ? Number(s) : NaN;
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return `invalid step in "${part}"`;
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      lo = min;
      hi = max;
    } else if (range!.includes('-')) {
      const [a, b] = range!.split('-');
      lo = num(a!);
      hi = num(b!);
    } else {
      lo = num(range!);
      hi = stepText === undefined ? lo : max;
    }
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < min || hi > max || lo > hi)
      return `value out of range in "${part}" (${min}-${max})`;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Parses a schedule; returns an error message for an invalid one. */
export function parseCron(text: string): CronSchedule | string {
  const t = MACROS[text.trim()] ?? text.trim();
  const parts = t.split(/\s+/);
  if (parts.length !== 5) return `expected exactly 5 fields, found ${parts.length}: "${text}"`;
  const minutes = field(parts[0]!, 0, 59, undefined, 0);
  const hours = field(parts[1]!, 0, 23, undefined, 0);
  const doms = field(parts[2]!, 1, 31, undefined, 0);
  const months = field(parts[3]!, 1, 12, MONTHS, 1);
  const dows = field(parts[4]!.replace(/\b7\b/g, '0'), 0, 6, DAYS, 0);
  for (const f of [minutes, hours, doms, months, dows]) if (typeof f === 'string') return f;
  return {
    minutes: minutes as Set<number>,
    hours: hours as Set<number>,
    doms: doms as Set<number>,
    months: months as Set<number>,
    dows: dows as Set<number>,
    domStar: parts[2] === '*' || parts[2] === '?',
    dowStar: parts[4] === '*' || parts[4] === '?',
  };
}

function dayMatches(s: CronSchedule, d: Date): boolean {
  const dom = s.doms.has(d.getUTCDate());
  const dow = s.dows.has(d.getUTCDay());
  if (s.domStar || s.dowStar) return dom && dow;
  return dom || dow;
}

/** The first scheduled time strictly after `after` (UTC, minute precision), within five years. */
export function nextRun(s: CronSchedule, after: Date): Date | undefined {
  const d = new Date(after.getTime());
  d.setUTCSeconds(0, 0);
  d.setUTCMinutes(d.getUTCMinutes() + 1);
  const limit = after.getTime() + 5 * 366 * 86400_000;
  while (d.getTime() <= limit) {
    if (!s.months.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(s, d)) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!s.hours.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!s.minutes.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return d;
  }
  return undefined;
}
