import { formatDuration } from "@/components/ui/time-format";
import type { BadgeTone } from "@/components/ui/badge";
import type { DeliveryBand, DeliveryFigureName, DeliveryFigures } from "@/server/delivery/contract";

export const bandTone: Record<DeliveryBand, BadgeTone> = { elite: "green", high: "sky", medium: "amber", low: "red" };

/** "2.3 a day", "3 a week", "2 in 30 days": the unit that keeps the number readable. */
export function formatFrequency(f: DeliveryFigures["deploymentFrequency"], days: number): string {
  if (f.perDay >= 1) return `${round(f.perDay)} a day`;
  if (f.perWeek >= 1) return `${round(f.perWeek)} a week`;
  return `${f.deploys} in ${days} days`;
}

const round = (n: number) => (Math.round(n * 10) / 10).toLocaleString("en-GB");

export const formatRate = (rate: number) => `${Math.round(rate * 1000) / 10}%`;

export const formatSpan = (ms: number | null) => (ms === null ? "—" : formatDuration(ms));

/** Where the rollouts behind a figure are listed: a page beside the squad's or the service's own. */
export function rolloutsHref(scope: DeliveryFigures["scope"], days: number, figure: DeliveryFigureName, week?: string): string {
  const base = scope.kind === "team" ? `/teams/${encodeURIComponent(scope.name)}` : `/services/${encodeURIComponent(scope.name)}`;
  const query = new URLSearchParams({ days: String(days), figure, ...(week ? { week: week.slice(0, 10) } : {}) });
  return `${base}/delivery?${query}`;
}
