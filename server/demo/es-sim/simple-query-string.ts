import "server-only";
import { illegalArgument } from "./errors";

/**
 * Lucene's SimpleQueryParser, which Elasticsearch's `simple_query_string` runs: it never fails, it drops what it
 * cannot use (an unclosed quote or bracket is read as text). Operators are applied left to right; a change of
 * operator wraps everything so far as one clause, as Lucene's buildQueryTree does. A disabled flag makes its
 * character ordinary text, which the field's analyzer then handles (usually dropping it).
 */

export const SQS_FLAGS = {
  AND: 1,
  NOT: 2,
  OR: 4,
  PREFIX: 8,
  PHRASE: 16,
  PRECEDENCE: 32,
  ESCAPE: 64,
  WHITESPACE: 128,
  FUZZY: 256,
  NEAR: 512,
  SLOP: 512,
} as const;

/** ES's SimpleQueryStringFlag.resolveFlags: "AND|OR|NOT" (any case), NONE, ALL, or an integer. */
export function resolveFlags(flags: unknown): number {
  if (typeof flags === "number") return flags;
  if (flags === undefined || flags === null || flags === "") return -1;
  let magic = 0;
  for (const raw of String(flags).split("|")) {
    if (raw === "") continue;
    const name = raw.toUpperCase();
    if (name === "NONE") return 0;
    if (name === "ALL") return -1;
    const bit = SQS_FLAGS[name as keyof typeof SQS_FLAGS];
    if (bit === undefined) throw illegalArgument(`Unknown simple_query_string flag [${raw}]`);
    magic |= bit;
  }
  return magic;
}

export type Occur = "must" | "should" | "must_not";

export type SqsNode<Q> = { kind: "leaf"; query: Q } | { kind: "all" } | { kind: "bool"; clauses: Array<{ occur: Occur; node: SqsNode<Q> }> };

/** Builds per-field queries; null means the analyzer left nothing to search for. */
export interface SqsQueryFactory<Q> {
  term(text: string): Q | null;
  phrase(text: string, slop: number): Q | null;
  prefix(text: string): Q | null;
  fuzzy(text: string, distance: number): Q | null;
}

interface State<Q> {
  data: string[];
  index: number;
  length: number;
  top: SqsNode<Q> | null;
  not: number;
  currentOperation: Occur | null;
  previousOperation: Occur | null;
}

export function parseSimpleQueryString<Q>(text: string, flags: number, defaultOperator: "and" | "or", factory: SqsQueryFactory<Q>): SqsNode<Q> | null {
  const has = (flag: number) => (flags & flag) !== 0;
  const defaultOccur: Occur = defaultOperator === "and" ? "must" : "should";
  const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r";

  const tokenFinished = (s: State<Q>): boolean => {
    const c = s.data[s.index];
    return (
      (c === '"' && has(SQS_FLAGS.PHRASE)) ||
      (c === "|" && has(SQS_FLAGS.OR)) ||
      (c === "+" && has(SQS_FLAGS.AND)) ||
      ((c === "(" || c === ")") && has(SQS_FLAGS.PRECEDENCE)) ||
      (isSpace(c) && has(SQS_FLAGS.WHITESPACE))
    );
  };

  const buildQueryTree = (s: State<Q>, branch: SqsNode<Q> | null): void => {
    if (branch) {
      let node = branch;
      if (s.not % 2 === 1) {
        node = {
          kind: "bool",
          clauses: [
            { occur: "must_not", node },
            { occur: "should", node: { kind: "all" } },
          ],
        };
      }
      if (s.top === null) s.top = node;
      else {
        s.currentOperation ??= defaultOccur;
        if (s.previousOperation !== s.currentOperation || s.top.kind !== "bool") {
          s.top = { kind: "bool", clauses: [{ occur: s.currentOperation, node: s.top }] };
        }
        s.top.clauses.push({ occur: s.currentOperation, node });
        s.previousOperation = s.currentOperation;
      }
    }
    s.currentOperation = null;
  };

  const leaf = (q: Q | null): SqsNode<Q> | null => (q === null ? null : { kind: "leaf", query: q });

  const parseFuzziness = (s: State<Q>): number => {
    let slop = "";
    if (s.data[s.index] === "~") {
      while (s.index < s.length) {
        s.index++;
        if (s.index < s.length) {
          if (tokenFinished(s)) break;
          slop += s.data[s.index];
        }
      }
      const n = slop === "" ? 2 : /^[+-]?\d+$/.test(slop) ? Number(slop) : 0;
      return Math.max(0, n);
    }
    return 0;
  };

  const consumeSubQuery = (s: State<Q>): void => {
    const start = ++s.index;
    let precedence = 1;
    let escaped = false;
    while (s.index < s.length) {
      if (!escaped) {
        const c = s.data[s.index];
        if (c === "\\" && has(SQS_FLAGS.ESCAPE)) {
          escaped = true;
          s.index++;
          continue;
        } else if (c === "(") precedence++;
        else if (c === ")") {
          precedence--;
          if (precedence === 0) break;
        }
      }
      escaped = false;
      s.index++;
    }
    if (s.index === s.length) s.index = start;
    else if (s.index === start) {
      s.currentOperation = null;
      s.index++;
    } else {
      const sub: State<Q> = { data: s.data, index: start, length: s.index, top: null, not: 0, currentOperation: null, previousOperation: null };
      parseSubQuery(sub);
      buildQueryTree(s, sub.top);
      s.index++;
    }
  };

  const consumePhrase = (s: State<Q>): void => {
    const start = ++s.index;
    let copied = "";
    let escaped = false;
    let hasSlop = false;
    while (s.index < s.length) {
      if (!escaped) {
        const c = s.data[s.index];
        if (c === "\\" && has(SQS_FLAGS.ESCAPE)) {
          escaped = true;
          s.index++;
          continue;
        } else if (c === '"') {
          if (s.length > s.index + 1 && s.data[s.index + 1] === "~" && has(SQS_FLAGS.NEAR)) {
            s.index++;
            if (s.length > s.index + 1) hasSlop = true;
          }
          break;
        }
      }
      escaped = false;
      copied += s.data[s.index++];
    }
    if (s.index === s.length) s.index = start;
    else if (s.index === start) {
      s.currentOperation = null;
      s.index++;
    } else {
      const slop = hasSlop ? parseFuzziness(s) : 0;
      buildQueryTree(s, leaf(factory.phrase(copied, slop)));
      s.index++;
    }
  };

  const consumeTerm = (s: State<Q>): void => {
    let copied = "";
    let escaped = false;
    let prefix = false;
    let fuzzy = false;
    while (s.index < s.length) {
      if (!escaped) {
        const c = s.data[s.index];
        if (c === "\\" && has(SQS_FLAGS.ESCAPE)) {
          escaped = true;
          prefix = false;
          s.index++;
          continue;
        } else if (tokenFinished(s)) break;
        else if (copied.length > 0 && c === "~" && has(SQS_FLAGS.FUZZY)) {
          fuzzy = true;
          break;
        }
        prefix = copied.length > 0 && c === "*" && has(SQS_FLAGS.PREFIX);
      }
      escaped = false;
      copied += s.data[s.index++];
    }
    if (copied.length === 0) return;
    let branch: SqsNode<Q> | null;
    if (fuzzy) {
      const distance = Math.min(parseFuzziness(s), 2);
      branch = leaf(distance === 0 ? factory.term(copied) : factory.fuzzy(copied, distance));
    } else if (prefix) branch = leaf(factory.prefix(copied.slice(0, -1)));
    else branch = leaf(factory.term(copied));
    buildQueryTree(s, branch);
  };

  const parseSubQuery = (s: State<Q>): void => {
    while (s.index < s.length) {
      const c = s.data[s.index];
      if (c === "(" && has(SQS_FLAGS.PRECEDENCE)) consumeSubQuery(s);
      else if (c === ")" && has(SQS_FLAGS.PRECEDENCE)) s.index++;
      else if (c === '"' && has(SQS_FLAGS.PHRASE)) consumePhrase(s);
      else if (c === "+" && has(SQS_FLAGS.AND)) {
        if (s.currentOperation === null && s.top !== null) s.currentOperation = "must";
        s.index++;
      } else if (c === "|" && has(SQS_FLAGS.OR)) {
        if (s.currentOperation === null && s.top !== null) s.currentOperation = "should";
        s.index++;
      } else if (c === "-" && has(SQS_FLAGS.NOT)) {
        s.not++;
        s.index++;
        continue;
      } else if (isSpace(c) && has(SQS_FLAGS.WHITESPACE)) s.index++;
      else consumeTerm(s);
      s.not = 0;
    }
  };

  const data = Array.from(text);
  const state: State<Q> = { data, index: 0, length: data.length, top: null, not: 0, currentOperation: null, previousOperation: null };
  parseSubQuery(state);
  return state.top;
}
