/**
 * Atlas list pages (contract §7 Lists, EVIDENCE §h): `pageNum` ≥ 1 (default 1), `itemsPerPage` 1–500 (default
 * 100, range checked by `listQuery`), `includeCount` (default true). Body `{links, results, totalCount}` in that
 * (alphabetical) order; `totalCount` omitted when `includeCount=false`; a page past the end is `results: []`.
 *
 * Links are rebuilt from the effective parameters, as Atlas does, whatever the client sent [R]:
 *   self      `…?includeCount=true&pageNum=1&itemsPerPage=100`        (recorded order)
 *   next      `…?includeCount=true&itemsPerPage=100&pageNum=2`        (recorded order), unless on the last page
 *   previous  `…?includeCount=true&itemsPerPage=100&pageNum=1`        [I: order of `next`], unless on page 1
 * in the order self, previous, next [I].
 */
import { z } from 'zod';
import { linkSchema } from './schemas.js';

export const DEFAULT_ITEMS_PER_PAGE = 100;

export interface PageQuery {
  pageNum?: number | undefined;
  itemsPerPage?: number | undefined;
  includeCount?: boolean | undefined;
}

export interface Link {
  href: string;
  rel: string;
}

export interface Page<T> {
  links: Link[];
  results: T[];
  totalCount?: number;
}

/** One page of `items` (kept in their order), each turned into its view; `base` is origin + path of the list. */
export function paginate<S, T>(items: readonly S[], query: PageQuery, base: string, view: (item: S) => T): Page<T> {
  const pageNum = query.pageNum ?? 1;
  const itemsPerPage = query.itemsPerPage ?? DEFAULT_ITEMS_PER_PAGE;
  const start = (pageNum - 1) * itemsPerPage;
  return pageOf(start < items.length ? items.slice(start, start + itemsPerPage).map(view) : [], items.length, query, base);
}

/** A page of results already picked out of `total` items (lists derived rather than held): links and count. */
export function pageOf<T>(results: T[], total: number, query: PageQuery, base: string): Page<T> {
  const pageNum = query.pageNum ?? 1;
  const itemsPerPage = query.itemsPerPage ?? DEFAULT_ITEMS_PER_PAGE;
  const includeCount = query.includeCount ?? true;
  const start = (pageNum - 1) * itemsPerPage;

  const links: Link[] = [{ href: `${base}?includeCount=${includeCount}&pageNum=${pageNum}&itemsPerPage=${itemsPerPage}`, rel: 'self' }];
  const other = (n: number) => `${base}?includeCount=${includeCount}&itemsPerPage=${itemsPerPage}&pageNum=${n}`;
  if (pageNum > 1) links.push({ href: other(pageNum - 1), rel: 'previous' });
  if (start + itemsPerPage < total) links.push({ href: other(pageNum + 1), rel: 'next' });

  const page: Page<T> = { links, results };
  if (includeCount) page.totalCount = total;
  return page;
}

/** zod schema of a page of `item` (documentation of list responses). */
export function pageSchema<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      links: z.array(linkSchema),
      results: z.array(item),
      totalCount: z.number().int().min(0).optional().meta({ description: 'Omitted when includeCount=false.' }),
    })
    .meta({ id });
}
