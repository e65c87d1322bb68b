import Link from "next/link";
import { findService, type ServiceSummary } from "@/server/catalogue";
import { failedRollouts, loadRunningVersionsWithin, unhealthyServices } from "@/server/cluster";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { AlertIcon } from "@/components/ui/icons";
import { ServiceTable } from "./service-table";

/** How many unhealthy services the filter lists at most (a bad day, not the whole catalogue). */
const maxListed = 200;

/**
 * The catalogue filtered to services unhealthy now (`/?health=unhealthy`): the last rollout in some environment
 * failed, or the live workload is degraded. Decided on the server from the deploy history and the running versions.
 */
export async function UnhealthyServicesPage() {
  const names = [...(await unhealthyServices())].sort().slice(0, maxListed);
  const details = (await Promise.all(names.map((name) => findService(name)))).filter((d) => d !== null);
  const services: ServiceSummary[] = details.map((d) => ({
    name: d.name,
    kind: d.kind,
    title: d.title,
    description: d.description,
    type: d.type,
    team: d.team?.name ?? null,
    tier: d.tier,
    lifecycle: d.lifecycle,
    tags: d.tags,
  }));
  const versions = services.length
    ? await loadRunningVersionsWithin(
        details.map((d) => ({ name: d.name, annotations: d.annotations })),
        1_500,
      )
    : null;
  return (
    <div className="mx-auto max-w-[1440px] px-4 py-6 md:px-6">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">Unhealthy now</h1>
          <p className="mt-1 max-w-2xl text-[13px] text-zinc-600 dark:text-zinc-400">
            Services whose last rollout failed in some environment, or whose live workload reports a failed rollout.
          </p>
        </div>
        <Link href="/" className={buttonClass({ size: "sm" })}>
          All services
        </Link>
      </header>
      <div className="mt-5 overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/60">
        {services.length ? (
          <ServiceTable services={services} versions={versions} caption="Services unhealthy now" />
        ) : (
          <p className="px-4 py-6 text-[13px] text-zinc-600 dark:text-zinc-400">Every service’s last rollout went well and no workload reports a failure.</p>
        )}
      </div>
    </div>
  );
}

/**
 * Above the catalogue when some service's last rollout failed somewhere: how many, and the way to list them. One
 * query on rollout; nothing is shown while all is well.
 */
export async function UnhealthyNotice() {
  const failing = new Set([...(await failedRollouts()).keys()].map((key) => key.split("\u0000")[0]!));
  if (!failing.size) return null;
  const names = [...failing].sort();
  return (
    <div className="mx-auto max-w-[1440px] px-4 pt-4 md:px-6">
      <p className="flex flex-wrap items-center gap-x-2 gap-y-1 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-[13px] text-red-900 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-100">
        <AlertIcon size={14} className="shrink-0" />
        <span>{names.length === 1 ? `${names[0]}’s last rollout failed.` : `${names.length} services’ last rollouts failed.`}</span>
        <Link href="/?health=unhealthy" className={cn("rounded font-medium underline", focusRing)}>
          Show services unhealthy now
        </Link>
      </p>
    </div>
  );
}
