import "server-only";

/** What a free-text search turns into; only letters and digits reach tsquery syntax. */
export type SearchTerms = {
  lower: string;
  /** `to_tsquery('simple', …)` input with every word as a prefix, or undefined when q has no words. */
  tsquery: string | undefined;
  /** LIKE pattern for `%q%`, with LIKE's own wildcards escaped. */
  contains: string;
  prefix: string;
  /** Substring matches need a trigram index, which needs 3 characters; shorter input matches name prefixes. */
  short: boolean;
};

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function searchTerms(q: string): SearchTerms {
  const lower = q.toLowerCase().trim();
  const words = (lower.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
  return {
    lower,
    tsquery: words.length ? words.map((w) => `${w}:*`).join(" & ") : undefined,
    contains: `%${escapeLike(lower)}%`,
    prefix: `${escapeLike(lower)}%`,
    short: lower.length < 3,
  };
}
