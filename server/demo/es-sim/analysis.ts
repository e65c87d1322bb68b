import "server-only";

/**
 * The `standard` analyzer: Unicode (UAX #29) word boundaries as Lucene's StandardTokenizer finds them, then
 * lowercase. Close enough that what a user searches for here finds the same lines a real cluster would.
 */

type CharClass = "letter" | "digit" | "extendNumLet" | "midLetter" | "midNum" | "midNumLet" | "extend" | "ideograph" | "other";

const IDEOGRAPH = /[\p{Script=Han}\p{Script=Hiragana}]/u;
const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
const EXTEND = /[\p{M}\u200d]/u;
const CONNECTOR = /\p{Pc}/u;
const MID_LETTER = new Set([":", "\u00b7", "\u0387", "\u05f4", "\u2027", "\ufe13", "\ufe55", "\uff1a"]);
const MID_NUM = new Set([
  ",",
  ";",
  "\u037e",
  "\u0589",
  "\u060c",
  "\u060d",
  "\u066c",
  "\u07f8",
  "\u2044",
  "\ufe10",
  "\ufe14",
  "\ufe50",
  "\ufe54",
  "\uff0c",
  "\uff1b",
]);
const MID_NUM_LET = new Set([".", "'", "\u2018", "\u2019", "\u2024", "\ufe52", "\uff07", "\uff0e"]);

const MAX_TOKEN_LENGTH = 255;

function classifySlow(ch: string): CharClass {
  if (IDEOGRAPH.test(ch)) return "ideograph";
  if (LETTER.test(ch)) return "letter";
  if (DIGIT.test(ch)) return "digit";
  if (EXTEND.test(ch)) return "extend";
  if (ch === "_" || CONNECTOR.test(ch)) return "extendNumLet";
  if (MID_LETTER.has(ch)) return "midLetter";
  if (MID_NUM.has(ch)) return "midNum";
  if (MID_NUM_LET.has(ch)) return "midNumLet";
  return "other";
}

// Log lines are mostly ASCII: classify those characters once instead of running Unicode regexes per character.
const ASCII: CharClass[] = Array.from({ length: 128 }, (_, code) => classifySlow(String.fromCharCode(code)));

function classify(ch: string): CharClass {
  const code = ch.charCodeAt(0);
  return code < 128 && ch.length === 1 ? (ASCII[code] as CharClass) : classifySlow(ch);
}

const WORD = new Set<CharClass>(["letter", "digit", "extendNumLet"]);

/** Words of `text` in order, not lowercased (the tokenizer alone). */
export function tokenize(text: string): string[] {
  const chars = Array.from(text);
  const classes = chars.map(classify);
  const tokens: string[] = [];
  let i = 0;
  while (i < chars.length) {
    const cls = classes[i];
    if (cls === "ideograph") {
      let j = i + 1;
      while (classes[j] === "extend") j++;
      tokens.push(chars.slice(i, j).join(""));
      i = j;
      continue;
    }
    if (!cls || !WORD.has(cls)) {
      i++;
      continue;
    }
    const start = i;
    let last: CharClass = cls;
    let hasAlnum = cls !== "extendNumLet";
    let j = i + 1;
    for (;;) {
      while (classes[j] === "extend") j++;
      const next = classes[j];
      if (next && WORD.has(next)) {
        last = next;
        if (next !== "extendNumLet") hasAlnum = true;
        j++;
        continue;
      }
      // A single "." ":" "'" or "," joins two letters or two digits into one word (WB6/7, WB11/12).
      const after = classes[j + 1];
      const joinsLetters = last === "letter" && (next === "midLetter" || next === "midNumLet") && after === "letter";
      const joinsDigits = last === "digit" && (next === "midNum" || next === "midNumLet") && after === "digit";
      if (joinsLetters || joinsDigits) {
        j += 2;
        continue;
      }
      break;
    }
    if (hasAlnum) {
      const word = chars.slice(start, j);
      for (let k = 0; k < word.length; k += MAX_TOKEN_LENGTH) tokens.push(word.slice(k, k + MAX_TOKEN_LENGTH).join(""));
    }
    i = j;
  }
  return tokens;
}

/** The standard analyzer: tokenize, then lowercase. */
export function analyze(text: string): string[] {
  return tokenize(text).map((t) => t.toLowerCase());
}

/** What a normalizer does to a prefix or fuzzy term on a text field: lowercase, no tokenizing. */
export function normalize(text: string): string {
  return text.toLowerCase();
}

/** Damerau (optimal string alignment) distance, as Lucene's fuzzy queries allow transpositions by default. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push(Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i]!;
    const prev = rows[i - 1]!;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row[j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}
