import { z } from "zod";

/**
 * Delivery figures (DORA's four keys) as the browser and API clients see them, with the performance bands. Every
 * figure counts production deploys only: rollouts of kind "deploy" to an environment configured as production that
 * ended (succeeded, failed or rolled back) inside the window.
 */

export const deliveryWindows = [30, 90] as const;
export type DeliveryWindow = (typeof deliveryWindows)[number];

export const deliveryQuerySchema = z.object({
  days: z
    .enum(["30", "90"], { error: "days is 30 or 90" })
    .default("30")
    .transform((d) => Number(d) as DeliveryWindow),
});

/** Which rollouts stand behind a figure: every deploy, the successes (lead time), or the failures (rate, restore). */
export const deliveryFigureNames = ["deploys", "lead-time", "failures", "restore"] as const;
export type DeliveryFigureName = (typeof deliveryFigureNames)[number];

export const deliveryRolloutsQuerySchema = deliveryQuerySchema.extend({
  figure: z.enum(deliveryFigureNames).default("deploys"),
  /** Monday 00:00 UTC of one week of the trend (YYYY-MM-DD): only that week's rollouts. */
  week: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "week is a date: YYYY-MM-DD")
    .refine((w) => !Number.isNaN(Date.parse(`${w}T00:00:00Z`)), "week is a date: YYYY-MM-DD")
    .optional(),
});

export type DeliveryBand = "elite" | "high" | "medium" | "low";

export type DeliveryFigures = {
  scope: { kind: "team" | "service"; name: string; services: number };
  days: DeliveryWindow;
  since: string;
  until: string;
  productionEnvironments: string[];
  deploymentFrequency: { deploys: number; perDay: number; perWeek: number; band: DeliveryBand | null };
  /** Median from the release's commit (its registration when CI sent no commit time) to success in production. */
  leadTime: { medianMs: number | null; measured: number; withoutCommitTime: number; band: DeliveryBand | null };
  changeFailureRate: { failures: number; deploys: number; rate: number | null; band: DeliveryBand | null };
  /**
   * Median from a failure to the next success in that environment (a deploy or a rollback): a failed deploy counts
   * from when it failed, a rolled-back one from when it started rolling out (it served the bad change until then).
   */
  timeToRestore: { medianMs: number | null; restored: number; unrestored: number; band: DeliveryBand | null };
  /** One entry per week (Monday 00:00 UTC) that overlaps the window, oldest first. */
  weeks: DeliveryWeek[];
};

export type DeliveryWeek = {
  week: string;
  deploys: number;
  failures: number;
  leadTimeMedianMs: number | null;
  restoreMedianMs: number | null;
};

export type DeliveryRollout = {
  id: string;
  service: string;
  version: string;
  environment: string;
  state: "succeeded" | "failed" | "rolled_back";
  finishedAt: string;
  committedAt: string | null;
  registeredAt: string;
  /** Success in production minus the commit (or registration) time; null unless it succeeded. */
  leadTimeMs: number | null;
  /** For a failure: the next success in that environment, and how long after the failure it came. */
  restoredBy: string | null;
  restoreMs: number | null;
  failureReason: string | null;
};

const hour = 3_600_000;
const day = 24 * hour;

/**
 * The bands of the Accelerate State of DevOps report 2023 (DORA's performance clusters), where its ranges overlap
 * (medium and low share frequency and lead time ranges) resolved toward the better band:
 * - deployment frequency: elite at least daily (on demand), high at least weekly, medium at least monthly, else low;
 * - lead time: elite under a day, high under a week, medium under a month, else low;
 * - change failure rate: elite up to 5%, high up to 10%, medium up to 15%, else low;
 * - time to restore: elite under an hour, high under a day, medium under a week, else low.
 */
export const bandThresholds = {
  deploysPerDay: { elite: 1, high: 1 / 7, medium: 1 / 30 },
  leadTimeMs: { elite: day, high: 7 * day, medium: 30 * day },
  changeFailureRate: { elite: 0.05, high: 0.1, medium: 0.15 },
  timeToRestoreMs: { elite: hour, high: day, medium: 7 * day },
} as const;

export function frequencyBand(perDay: number): DeliveryBand {
  const t = bandThresholds.deploysPerDay;
  return perDay >= t.elite ? "elite" : perDay >= t.high ? "high" : perDay >= t.medium ? "medium" : "low";
}

function under(value: number | null, t: { elite: number; high: number; medium: number }): DeliveryBand | null {
  if (value === null) return null;
  return value < t.elite ? "elite" : value < t.high ? "high" : value < t.medium ? "medium" : "low";
}

export const leadTimeBand = (ms: number | null) => under(ms, bandThresholds.leadTimeMs);
export const restoreBand = (ms: number | null) => under(ms, bandThresholds.timeToRestoreMs);

export function failureRateBand(rate: number | null): DeliveryBand | null {
  if (rate === null) return null;
  const t = bandThresholds.changeFailureRate;
  return rate <= t.elite ? "elite" : rate <= t.high ? "high" : rate <= t.medium ? "medium" : "low";
}
