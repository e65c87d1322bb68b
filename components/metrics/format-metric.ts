/** Numbers in the unit of their panel, short enough for an axis tick and precise enough for a tooltip. */

const trim = (n: number, digits: number) => Number(n.toFixed(digits)).toString();

function withPrefix(value: number, units: Array<[number, string]>, digits: number): string {
  const abs = Math.abs(value);
  for (const [size, suffix] of units) if (abs >= size) return `${trim(value / size, digits)} ${suffix}`;
  return `${trim(value, digits)} ${units.at(-1)![1]}`;
}

export function formatMetric(value: number | null | undefined, unit: string, precise = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const digits = precise ? 3 : 2;
  switch (unit) {
    case "%":
    case "percent":
      return `${trim(value, value !== 0 && Math.abs(value) < 1 ? digits : 1)}%`;
    case "ratio":
      return `${trim(value * 100, Math.abs(value) < 0.01 && value !== 0 ? digits : 1)}%`;
    case "ms":
      return value >= 1000 ? `${trim(value / 1000, digits)} s` : `${trim(value, value < 10 ? 1 : 0)} ms`;
    case "seconds":
      return value < 1 ? `${trim(value * 1000, value < 0.01 ? 1 : 0)} ms` : `${trim(value, digits)} s`;
    case "cores":
      return value < 1 ? `${trim(value * 1000, 0)}m` : `${trim(value, digits)} cores`;
    case "bytes":
      return withPrefix(
        value,
        [
          [1024 ** 3, "GiB"],
          [1024 ** 2, "MiB"],
          [1024, "KiB"],
          [1, "B"],
        ],
        precise ? 2 : 1,
      );
    case "req/s":
      return `${trim(value, value < 10 ? digits : 1)} req/s`;
    case "count":
      return trim(value, 0);
    default:
      return trim(value, digits);
  }
}

export function formatTick(epochMs: number, rangeSeconds: number): string {
  const d = new Date(epochMs);
  if (rangeSeconds > 2 * 86_400)
    return (
      d.toLocaleDateString(undefined, { month: "short", day: "numeric" }) +
      (rangeSeconds <= 7 * 86_400 ? ` ${d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}` : "")
    );
  return d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}
