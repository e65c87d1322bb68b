import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import type { ServiceKind } from "@/server/catalogue/contract";
import { requirePagePrincipal } from "@/server/identity";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { BookIcon, ChevronRightIcon, RepoIcon } from "@/components/ui/icons";
import { TabBar } from "@/components/ui/tabs";
import { kindLabel } from "./entity-href";
import { loadService } from "./load-service";
import { KindIcon, LifecycleBadge, TagList, TierBadge } from "./service-badges";
import { serviceTabs } from "./service-tabs";

const catalogueHref: Record<ServiceKind, string> = { component: "/", api: "/?kind=api", resource: "/?kind=resource" };
const catalogueBase: Record<ServiceKind, string> = { component: "/services", api: "/apis", resource: "/resources" };

/** The frame of every service, API and resource page: breadcrumbs, header and the tab bar over the tab's content. */
export async function ServiceLayout({ kind, name, children }: { kind: ServiceKind; name: string; children: ReactNode }) {
  await requirePagePrincipal(`${catalogueBase[kind]}/${encodeURIComponent(name)}`);
  const service = await loadService(kind, name);
  if (!service) notFound();

  const runbook = service.links.find((l) => /runbook/i.test(`${l.title ?? ""} ${l.type ?? ""}`));
  const label = kindLabel[kind]!;

  return (
    <div className="mx-auto max-w-[1440px] px-4 py-5 md:px-6">
      <nav aria-label="Breadcrumb" className="mb-3">
        <ol className="flex items-center gap-1 text-xs text-zinc-500 dark:text-zinc-400">
          <li>
            <Link href="/" className={cn("rounded hover:text-zinc-900 dark:hover:text-zinc-100", focusRing)}>
              Catalogue
            </Link>
          </li>
          <li aria-hidden>
            <ChevronRightIcon size={12} />
          </li>
          <li>
            <Link href={catalogueHref[kind]} className={cn("rounded hover:text-zinc-900 dark:hover:text-zinc-100", focusRing)}>
              {label.many}
            </Link>
          </li>
          <li aria-hidden>
            <ChevronRightIcon size={12} />
          </li>
          <li aria-current="page" className="truncate font-mono text-zinc-700 dark:text-zinc-300">
            {service.name}
          </li>
        </ol>
      </nav>

      <header className="flex flex-wrap items-start justify-between gap-x-6 gap-y-4">
        <div className="min-w-[min(100%,32rem)] flex-1">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
            <div className="flex size-8 shrink-0 items-center justify-center rounded-md border border-zinc-200 bg-zinc-50 text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
              <KindIcon kind={kind} size={17} />
            </div>
            <h1 className="min-w-0 font-mono text-xl font-semibold tracking-tight break-all text-zinc-900 dark:text-zinc-50">{service.name}</h1>
            <div className="flex flex-wrap items-center gap-1.5">
              <TierBadge tier={service.tier} />
              <LifecycleBadge lifecycle={service.lifecycle} showProduction />
            </div>
          </div>
          <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
            {service.title ? <span className="font-medium text-zinc-800 dark:text-zinc-200">{service.title}</span> : null}
            {service.title ? <span className="px-1.5 text-zinc-300 dark:text-zinc-600">·</span> : null}
            <span>{kind === "api" ? `${service.type} API` : service.type}</span>
            {service.team ? (
              <>
                <span className="px-1.5 text-zinc-300 dark:text-zinc-600">·</span>
                owned by{" "}
                <Link
                  href={`/teams/${encodeURIComponent(service.team.name)}`}
                  className={cn("font-medium text-zinc-800 hover:text-indigo-700 hover:underline dark:text-zinc-200 dark:hover:text-indigo-300", focusRing)}
                >
                  {service.team.title ?? service.team.name}
                </Link>
              </>
            ) : null}
          </p>
          {service.description ? <p className="mt-1.5 max-w-3xl text-[13px] leading-relaxed text-zinc-500 dark:text-zinc-400">{service.description}</p> : null}
          <TagList tags={service.tags} className="mt-3" />
        </div>
        <div className="flex shrink-0 items-center gap-2">
          {runbook ? (
            <a href={runbook.url} target="_blank" rel="noreferrer" className={buttonClass({ size: "sm" })}>
              <BookIcon size={14} />
              Runbook
            </a>
          ) : null}
          {service.repositoryUrl ? (
            <a href={service.repositoryUrl} target="_blank" rel="noreferrer" className={buttonClass({ size: "sm" })}>
              <RepoIcon size={14} />
              Repository
            </a>
          ) : null}
        </div>
      </header>

      <TabBar tabs={serviceTabs(kind, service.name)} label={`${service.name} sections`} className="mt-5" />
      <div className="pt-5">{children}</div>
    </div>
  );
}
