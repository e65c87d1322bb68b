import "server-only";
import { isLabelValue, isQualifiedName } from "./kube-names";

/**
 * Label selectors with the apiserver's grammar (apimachinery/pkg/labels/selector.go): `k=v`, `k==v`, `k!=v`,
 * `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, joined by commas. Parsing validates every key and value, and the
 * canonical string is what Slipway sends, so catalogue text never reaches a cluster unchecked.
 */

export type LabelRequirement =
  | { key: string; operator: "=" | "!="; value: string }
  | { key: string; operator: "in" | "notin"; values: string[] }
  | { key: string; operator: "exists" | "!" };

export type LabelSelector = { requirements: LabelRequirement[]; text: string };

export class LabelSelectorError extends Error {}

type Token = { kind: "word" | "op" | "(" | ")" | "," | "!"; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === " " || c === "\t") {
      i++;
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ kind: c, text: c });
      i++;
    } else if (input.startsWith("==", i) || input.startsWith("!=", i)) {
      tokens.push({ kind: "op", text: input.slice(i, i + 2) });
      i += 2;
    } else if (c === "=") {
      tokens.push({ kind: "op", text: "=" });
      i++;
    } else if (c === "!") {
      tokens.push({ kind: "!", text: "!" });
      i++;
    } else {
      const m = /^[^\s(),=!]+/.exec(input.slice(i));
      if (!m) throw new LabelSelectorError(`unexpected character ${JSON.stringify(c)} at position ${i}`);
      tokens.push({ kind: "word", text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

function checkKey(key: string): string {
  if (!isQualifiedName(key)) throw new LabelSelectorError(`${JSON.stringify(key)} is not a valid label key`);
  return key;
}

function checkValue(value: string): string {
  if (!isLabelValue(value)) throw new LabelSelectorError(`${JSON.stringify(value)} is not a valid label value`);
  return value;
}

/** Parses and validates a selector; throws LabelSelectorError with a readable reason. */
export function parseLabelSelector(input: string): LabelSelector {
  if (input.length > 1024) throw new LabelSelectorError("the selector is longer than 1024 characters");
  const tokens = tokenize(input);
  const requirements: LabelRequirement[] = [];
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const expectWord = (what: string): string => {
    const t = next();
    if (!t || t.kind !== "word") throw new LabelSelectorError(`expected ${what}${t ? ` but found ${JSON.stringify(t.text)}` : " at the end"}`);
    return t.text;
  };
  while (pos < tokens.length) {
    if (peek()?.kind === "!") {
      next();
      requirements.push({ key: checkKey(expectWord("a label key after '!'")), operator: "!" });
    } else {
      const key = checkKey(expectWord("a label key"));
      const t = peek();
      if (!t || t.kind === ",") {
        requirements.push({ key, operator: "exists" });
      } else if (t.kind === "op") {
        next();
        const v = peek();
        const value = v?.kind === "word" ? (next(), v.text) : "";
        requirements.push({ key, operator: t.text === "!=" ? "!=" : "=", value: checkValue(value) });
      } else if (t.kind === "word" && (t.text === "in" || t.text === "notin")) {
        next();
        if (next()?.kind !== "(") throw new LabelSelectorError(`expected '(' after ${t.text}`);
        const values: string[] = [];
        for (;;) {
          const v = next();
          if (!v) throw new LabelSelectorError("expected ')'");
          if (v.kind === ")") break;
          if (v.kind === ",") continue;
          if (v.kind !== "word") throw new LabelSelectorError(`unexpected ${JSON.stringify(v.text)} in a value list`);
          values.push(checkValue(v.text));
        }
        if (values.length === 0) throw new LabelSelectorError(`${t.text} needs at least one value`);
        requirements.push({ key, operator: t.text, values: [...new Set(values)].sort() });
      } else {
        throw new LabelSelectorError(`unexpected ${JSON.stringify(t.text)} after ${JSON.stringify(key)}`);
      }
    }
    const sep = next();
    if (sep && sep.kind !== ",") throw new LabelSelectorError(`expected ',' but found ${JSON.stringify(sep.text)}`);
    if (sep && pos >= tokens.length) throw new LabelSelectorError("the selector ends with ','");
  }
  if (requirements.length === 0) throw new LabelSelectorError("the selector is empty");
  return { requirements, text: formatRequirements(requirements) };
}

function formatRequirements(requirements: LabelRequirement[]): string {
  return [...requirements]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => {
      switch (r.operator) {
        case "=":
        case "!=":
          return `${r.key}${r.operator}${r.value}`;
        case "in":
        case "notin":
          return `${r.key} ${r.operator} (${r.values.join(",")})`;
        case "exists":
          return r.key;
        case "!":
          return `!${r.key}`;
      }
    })
    .join(",");
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined | null): boolean {
  const l = labels ?? {};
  return selector.requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const value = l[r.key];
    switch (r.operator) {
      case "=":
        return has && value === r.value;
      case "!=":
        return !has || value !== r.value;
      case "in":
        return has && r.values.includes(value!);
      case "notin":
        return !has || !r.values.includes(value!);
      case "exists":
        return has;
      case "!":
        return !has;
    }
  });
}

/** A workload's `spec.selector` (matchLabels and matchExpressions) as a selector. */
export function selectorFromSpec(spec: {
  matchLabels?: Record<string, string> | null | undefined;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] | null | undefined }> | null | undefined;
}): LabelSelector {
  const requirements: LabelRequirement[] = Object.entries(spec.matchLabels ?? {}).map(([key, value]) => ({
    key: checkKey(key),
    operator: "=",
    value: checkValue(value),
  }));
  for (const e of spec.matchExpressions ?? []) {
    const key = checkKey(e.key);
    const values = (e.values ?? []).map(checkValue);
    if (e.operator === "In") requirements.push({ key, operator: "in", values });
    else if (e.operator === "NotIn") requirements.push({ key, operator: "notin", values });
    else if (e.operator === "Exists") requirements.push({ key, operator: "exists" });
    else if (e.operator === "DoesNotExist") requirements.push({ key, operator: "!" });
    else throw new LabelSelectorError(`unknown selector operator ${JSON.stringify(e.operator)}`);
  }
  return { requirements, text: formatRequirements(requirements) };
}
