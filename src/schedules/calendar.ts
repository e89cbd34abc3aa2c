/**
 * UTC calendar arithmetic of backup schedules, on epoch milliseconds: day starts, ISO weekdays, days of the
 * month, and retention units (days and weeks as fixed durations, months and years as calendar months with
 * the day clamped to the month's length, e.g. 31 Jan + 1 month = 28/29 Feb) [I: Atlas keeps a monthly
 * snapshot "12 months"; calendar months is the reading that makes 12 months equal 1 year].
 */
import type { RetentionUnit } from '../store/model.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** `a mod b` in [0, b). */
export const mod = (a: number, b: number): number => ((a % b) + b) % b;

export const dayStart = (t: number): number => t - mod(t, DAY);

/** ISO weekday of a time: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export const isoWeekday = (t: number): number => mod(Math.floor(t / DAY) + 3, 7) + 1;

/**
 * Year, month (1–12) and day of a time, by integer arithmetic (Howard Hinnant's `civil_from_days`, as
 * core/dates.ts): no Date object per day when a schedule's days are walked. Packed as y·10000 + m·100 + d.
 */
export function civil(t: number): number {
  const z = Math.floor(t / DAY) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return (yoe + era * 400 + (m <= 2 ? 1 : 0)) * 10_000 + m * 100 + (doy - Math.floor((153 * mp + 2) / 5) + 1);
}

export const dayOfMonth = (t: number): number => civil(t) % 100;

/** Month of a time, 1 = January. */
export const monthOf = (t: number): number => Math.floor(civil(t) / 100) % 100;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days in month `m` (1–12) of year `y`. */
export const daysInMonth = (y: number, m: number): number => (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]!);

export function isLastDayOfMonth(t: number): boolean {
  const c = civil(t);
  return c % 100 === daysInMonth(Math.floor(c / 10_000), Math.floor(c / 100) % 100);
}

function addMonths(t: number, months: number): number {
  const d = new Date(t);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/** `t` plus a retention: days and weeks exactly, months and years in calendar months. */
export function addRetention(t: number, unit: RetentionUnit | 'DAYS' | 'WEEKS' | 'MONTHS' | 'YEARS', value: number): number {
  switch (unit.toLowerCase()) {
    case 'days':
      return t + value * DAY;
    case 'weeks':
      return t + value * 7 * DAY;
    case 'months':
      return addMonths(t, value);
    default:
      return addMonths(t, 12 * value);
  }
}
