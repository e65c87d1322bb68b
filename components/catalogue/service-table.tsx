import Link from "next/link";
import type { ServiceSummary } from "@/server/catalogue/contract";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { entityHref } from "./entity-href";
import type { ListedVersion, ServiceVersions } from "@/server/cluster/contract";
import { RunningVersions } from "./running-versions";
import { LifecycleBadge, TagList, TierBadge } from "./service-badges";

/**
 * Services as a table; below `md` each row stacks into a card-like block. Used by the catalogue (with a
 * keyboard-highlighted row) and by team pages. Not a client component: it renders on either side.
 */
export function ServiceTable({
  services,
  highlighted = -1,
  rowIdPrefix,
  showOwner = true,
  versions,
  caption,
  dimmed = false,
}: {
  services: ServiceSummary[];
  highlighted?: number;
  rowIdPrefix?: string;
  showOwner?: boolean;
  /** The running version per environment of each service (from the clusters), when known. */
  versions?: ServiceVersions | null;
  caption?: string;
  dimmed?: boolean;
}) {
  return (
    <table className={cn("w-full table-fixed border-collapse text-[13px] max-md:block", dimmed && "opacity-60 transition-opacity")}>
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      <thead className="max-md:sr-only">
        <tr className="border-b border-zinc-200 text-left text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
          <th scope="col" className="py-2 pr-3 pl-4 font-medium">
            Name
          </th>
          {showOwner ? (
            <th scope="col" className="w-36 px-3 py-2 font-medium lg:w-40">
              Owner
            </th>
          ) : null}
          <th scope="col" className="w-20 px-3 py-2 font-medium">
            Tier
          </th>
          <th scope="col" className="w-28 px-3 py-2 font-medium">
            Lifecycle
          </th>
          <th scope="col" className="hidden w-52 py-2 pr-4 pl-3 font-medium lg:table-cell xl:w-64">
            Tags
          </th>
        </tr>
      </thead>
      <tbody className="max-md:block">
        {services.map((service, index) => (
          <ServiceRow
            key={`${service.kind}:${service.name}`}
            service={service}
            id={rowIdPrefix ? `${rowIdPrefix}-${index}` : undefined}
            highlighted={index === highlighted}
            showOwner={showOwner}
            environments={versions?.environments}
            versions={versions?.versions[service.name]}
          />
        ))}
      </tbody>
    </table>
  );
}

export function ServiceRow({
  service,
  id,
  highlighted = false,
  showOwner = true,
  environments,
  versions,
}: {
  service: ServiceSummary;
  id?: string;
  highlighted?: boolean;
  showOwner?: boolean;
  environments?: ServiceVersions["environments"];
  /** Environment -> the version running there. */
  versions?: Record<string, ListedVersion | null>;
}) {
  const href = entityHref(service.kind, service.name) ?? "#";
  return (
    <tr
      id={id}
      data-highlighted={highlighted || undefined}
      className={cn(
        "group relative border-b border-zinc-100 align-top transition-colors last:border-b-0 dark:border-zinc-800/70",
        "max-md:flex max-md:flex-wrap max-md:items-center max-md:gap-x-2 max-md:gap-y-1.5 max-md:px-4 max-md:py-3",
        highlighted
          ? "bg-indigo-50/70 shadow-[inset_2px_0_0_0_var(--color-indigo-500)] dark:bg-indigo-500/10 dark:shadow-[inset_2px_0_0_0_var(--color-indigo-400)]"
          : "hover:bg-zinc-50 dark:hover:bg-zinc-800/40",
      )}
    >
      <td className="min-w-0 py-2.5 pr-3 pl-4 max-md:w-full max-md:p-0">
        <div className="flex min-w-0 items-baseline gap-2">
          <Link
            href={href}
            className={cn(
              "truncate font-mono text-[13px] font-semibold text-zinc-900 after:absolute after:inset-0 hover:text-indigo-700 dark:text-zinc-100 dark:hover:text-indigo-300",
              focusRing,
            )}
          >
            {service.name}
          </Link>
          {service.title && service.title.toLowerCase() !== service.name.replace(/-/g, " ") ? (
            <span className="truncate text-zinc-500 dark:text-zinc-400">{service.title}</span>
          ) : null}
        </div>
        {service.description ? (
          <p className="mt-0.5 truncate text-[13px] text-zinc-500 max-md:line-clamp-2 max-md:whitespace-normal dark:text-zinc-400" title={service.description}>
            {service.description}
          </p>
        ) : null}
        {versions && environments ? <RunningVersions environments={environments} versions={versions} className="mt-1.5" /> : null}
      </td>
      {showOwner ? (
        <td className="truncate px-3 py-2.5 max-md:p-0">
          {service.team ? (
            <Link
              href={`/teams/${encodeURIComponent(service.team)}`}
              className={cn("relative z-10 text-zinc-700 hover:text-indigo-700 hover:underline dark:text-zinc-300 dark:hover:text-indigo-300", focusRing)}
            >
              {service.team}
            </Link>
          ) : (
            <span className="text-zinc-400 dark:text-zinc-500">No owner</span>
          )}
        </td>
      ) : null}
      <td className="px-3 py-2.5 max-md:p-0 max-md:empty:hidden">
        <TierBadge tier={service.tier} />
        {service.tier === null ? <span className="text-zinc-400 max-md:hidden dark:text-zinc-600">—</span> : null}
      </td>
      <td className="px-3 py-2.5 max-md:p-0">
        <LifecycleBadge lifecycle={service.lifecycle} />
      </td>
      <td className="hidden py-2.5 pr-4 pl-3 max-md:order-2 max-md:block max-md:w-full max-md:p-0 lg:table-cell">
        <TagList tags={service.tags} max={4} />
      </td>
    </tr>
  );
}
