/** GitHub's `per_page`/`page` query and its `Link` header, so `octokit.paginate` walks Slipway's lists. */
import { InputError } from "../../common/errors.ts";

export interface Page {
  perPage: number;
  page: number;
  offset: number;
}

export function pageOf(url: URL, defaultPerPage = 30): Page {
  const perPage = wholeParam(url, "per_page", defaultPerPage);
  const page = wholeParam(url, "page", 1);
  const capped = Math.min(Math.max(perPage, 1), 100);
  if (page > 1_000_000) throw new InputError(`page ${page} is past any list Slipway keeps`);
  return { perPage: capped, page: Math.max(page, 1), offset: (Math.max(page, 1) - 1) * capped };
}

/** A whole-number query parameter (`dflt` when absent); anything else, or less than `min`, is a 422. */
export function wholeParam(url: URL, name: string, dflt: number, min = Number.MIN_SAFE_INTEGER): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return dflt;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) throw new InputError(`${name} must be a whole number${min > Number.MIN_SAFE_INTEGER ? ` of at least ${min}` : ""}, got '${raw}'`);
  return n;
}

/** `<url>; rel="next"` and friends, with absolute URLs as GitHub sends them. */
export function linkHeader(url: URL, page: Page, total: number): Record<string, string> {
  const last = Math.max(1, Math.ceil(total / page.perPage));
  const at = (n: number) => {
    const u = new URL(url.href);
    u.searchParams.set("per_page", String(page.perPage));
    u.searchParams.set("page", String(n));
    return u.href;
  };
  const links: string[] = [];
  if (page.page > 1) links.push(`<${at(page.page - 1)}>; rel="prev"`, `<${at(1)}>; rel="first"`);
  if (page.page < last) links.push(`<${at(page.page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
  return links.length ? { link: links.join(", ") } : {};
}
