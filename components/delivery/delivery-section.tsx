import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { ArrowRightIcon } from "@/components/ui/icons";
import type { DeliveryBand, DeliveryFigureName, DeliveryFigures } from "@/server/delivery/contract";
import { DeliveryTrend } from "./delivery-trend";
import { bandTone, formatFrequency, formatRate, formatSpan, rolloutsHref } from "./format";

/**
 * A squad's or a service's delivery figures (DORA's four keys) over 30 or 90 days: each with its band and a link to
 * the production rollouts behind it, then the weekly trend. `windowHref` builds the link that switches the window.
 */
export function DeliverySection({
  figures,
  windowHref,
  withTeamsBelow = false,
  className,
}: {
  figures: DeliveryFigures;
  windowHref: (days: 30 | 90) => string;
  /** A tribe's figures count its squads' services too: the description says so. */
  withTeamsBelow?: boolean;
  className?: string;
}) {
  const { days } = figures;
  const href = (figure: DeliveryFigureName) => rolloutsHref(figures.scope, days, figure);
  const lead = figures.leadTime;
  const cfr = figures.changeFailureRate;
  const restore = figures.timeToRestore;
  const production = figures.productionEnvironments.join(", ") || "production";
  return (
    <Card aria-labelledby="delivery-title" className={className}>
      <CardHeader
        id="delivery-title"
        title="Delivery"
        description={`Deploys to ${production} in the last ${days} days${withTeamsBelow ? ", with the teams below" : ""}`}
        actions={
          <nav aria-label="Delivery window" className="inline-flex items-center rounded-md bg-zinc-100 p-0.5 dark:bg-zinc-800/80">
            {([30, 90] as const).map((d) => (
              <Link
                key={d}
                href={windowHref(d)}
                scroll={false}
                aria-current={d === days ? "page" : undefined}
                className={cn(
                  "rounded px-2 py-0.5 text-xs font-medium",
                  d === days
                    ? "bg-white text-zinc-900 shadow-sm dark:bg-zinc-700 dark:text-zinc-50"
                    : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100",
                  focusRing,
                )}
              >
                {d} days
              </Link>
            ))}
          </nav>
        }
      />
      <dl className="grid grid-cols-1 divide-y divide-zinc-100 sm:grid-cols-2 sm:divide-y-0 xl:grid-cols-4 dark:divide-zinc-800">
        <Figure
          label="Deployment frequency"
          value={formatFrequency(figures.deploymentFrequency, days)}
          band={figures.deploymentFrequency.band}
          detail={`${figures.deploymentFrequency.deploys} production ${figures.deploymentFrequency.deploys === 1 ? "deploy" : "deploys"}`}
          link={figures.deploymentFrequency.deploys ? { href: href("deploys"), text: "The deploys" } : null}
        />
        <Figure
          label="Lead time for changes"
          value={formatSpan(lead.medianMs)}
          band={lead.band}
          detail={
            lead.measured
              ? `Median, commit to production, of ${lead.measured}${lead.withoutCommitTime ? ` (${lead.withoutCommitTime} from registration: no commit time)` : ""}`
              : "No successful deploy"
          }
          link={lead.measured ? { href: href("lead-time"), text: "The successful deploys" } : null}
        />
        <Figure
          label="Change failure rate"
          value={cfr.rate === null ? "—" : formatRate(cfr.rate)}
          band={cfr.band}
          detail={cfr.deploys ? `${cfr.failures} of ${cfr.deploys} failed or rolled back` : "No deploys to judge"}
          link={cfr.failures ? { href: href("failures"), text: "The failures" } : null}
        />
        <Figure
          label="Time to restore"
          value={formatSpan(restore.medianMs)}
          band={restore.band}
          detail={
            restore.restored || restore.unrestored
              ? `Median, failure to the next success, of ${restore.restored}${restore.unrestored ? `; ${restore.unrestored} not restored yet` : ""}`
              : "No failures"
          }
          link={restore.restored || restore.unrestored ? { href: href("restore"), text: "The failures and their fixes" } : null}
        />
      </dl>
      <div className="border-t border-zinc-200 px-4 pt-3 pb-4 dark:border-zinc-800">
        <DeliveryTrend figures={figures} />
        <p className="mt-2 text-[11px] text-zinc-500 dark:text-zinc-400">
          Bands: the DORA performance clusters (elite, high, medium, low) of the 2023 Accelerate State of DevOps report.
        </p>
      </div>
    </Card>
  );
}

function Figure({
  label,
  value,
  band,
  detail,
  link,
}: {
  label: string;
  value: string;
  band: DeliveryBand | null;
  detail: ReactNode;
  link: { href: string; text: string } | null;
}) {
  return (
    <div className="flex min-w-0 flex-col gap-1 px-4 py-3 sm:border-zinc-100 sm:odd:border-r xl:border-r xl:last:border-r-0 dark:sm:border-zinc-800">
      <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="flex flex-wrap items-center gap-2">
        <span className="text-lg font-semibold text-zinc-900 tabular-nums dark:text-zinc-50">{value}</span>
        {band ? (
          <Badge tone={bandTone[band]} className="capitalize">
            {band}
          </Badge>
        ) : null}
      </dd>
      <dd className="text-xs text-zinc-600 dark:text-zinc-400">{detail}</dd>
      {link ? (
        <dd>
          <Link
            href={link.href}
            className={cn("inline-flex items-center gap-1 rounded text-xs font-medium text-indigo-700 hover:underline dark:text-indigo-300", focusRing)}
          >
            {link.text}
            <span className="sr-only"> behind {label.toLowerCase()}</span>
            <ArrowRightIcon size={12} />
          </Link>
        </dd>
      ) : null}
    </div>
  );
}

/** When the figures could not be computed: the rest of the page still shows. */
export function DeliveryUnavailable({ className }: { className?: string }) {
  return (
    <Card aria-labelledby="delivery-title" className={className}>
      <CardHeader id="delivery-title" title="Delivery" />
      <p role="status" className="px-4 py-3 text-[13px] text-zinc-500 dark:text-zinc-400">
        The delivery figures could not be computed just now. Reload the page to try again.
      </p>
    </Card>
  );
}
