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

export const dayOfMonth = (t: number): number => new Date(t).getUTCDate();

/** Month of a time, 1 = January. */
export const monthOf = (t: number): number => new Date(t).getUTCMonth() + 1;

export const isLastDayOfMonth = (t: number): boolean => dayOfMonth(t + DAY) === 1;

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
