import Link from "next/link";
import type { ReactNode } from "react";
import type { TeamDetail, TeamSummary } from "@/server/catalogue/contract";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { focusRing } from "@/components/ui/focus-ring";
import { ArrowRightIcon, ChevronRightIcon, ComponentIcon, ExternalLinkIcon, HashIcon, LinkIcon, MailIcon, UsersIcon } from "@/components/ui/icons";
import { CopyButton } from "./copy-button";
import type { ServiceVersions } from "@/server/cluster/contract";
import { ServiceTable } from "./service-table";
import { buildTeamTree, descendantNames, type TeamNode } from "./team-tree";

/** The service cap of a team page (see the catalogue module); at the cap the page points to the catalogue. */
const teamServiceLimit = 500;

function initials(name: string) {
  const parts = name.split(/[\s._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts.at(-1)?.[0] ?? "") : "")).toUpperCase();
}

export function TeamOverview({
  team,
  allTeams,
  versions,
  delivery,
}: {
  team: TeamDetail;
  allTeams: TeamSummary[];
  versions?: ServiceVersions | null;
  /** The squad's delivery figures, drawn by the page (components/delivery). */
  delivery?: ReactNode;
}) {
  const below = descendantNames(allTeams, team.name);
  const catalogueTeams = [team.name, ...below];
  const catalogueHref = `/?${catalogueTeams.map((t) => `team=${encodeURIComponent(t)}`).join("&")}`;
  // Totals over each sub-team's own subtree, so a tribe row counts the people and services of its squads.
  const childCounts = new Map<string, TeamNode>();
  const index = (nodes: TeamNode[]) => nodes.forEach((n) => (childCounts.set(n.name, n), index(n.children)));
  index(buildTeamTree(allTeams));
  const belowServices = team.children.reduce((n, c) => n + (childCounts.get(c.name)?.totalServices ?? 0), 0);
  const title = team.title ?? team.name;

  const servicesCard = (
    <Card aria-labelledby="team-services-title">
      <CardHeader
        id="team-services-title"
        title={
          <>
            Services
            <span className="ml-1.5 font-normal text-zinc-400 tabular-nums dark:text-zinc-500">{team.services.length}</span>
          </>
        }
        description={team.services.length ? "Components this team owns directly" : undefined}
        actions={
          team.services.length ? (
            <Link
              href={catalogueHref}
              className={cn("inline-flex items-center gap-1 rounded text-xs font-medium text-indigo-700 hover:underline dark:text-indigo-300", focusRing)}
            >
              <span className="max-sm:hidden">All services of this team in the catalogue</span>
              <span className="sm:hidden">In the catalogue</span>
              <ArrowRightIcon size={13} />
            </Link>
          ) : undefined
        }
      />
      {team.services.length ? (
        <>
          <ServiceTable services={team.services} showOwner={false} caption={`Services owned by ${title}`} versions={versions} />
          {team.services.length >= teamServiceLimit ? (
            <p className="border-t border-zinc-200 px-4 py-2 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
              Showing the first {teamServiceLimit}.{" "}
              <Link href={catalogueHref} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                See them all in the catalogue
              </Link>
              .
            </p>
          ) : null}
        </>
      ) : (
        <EmptyState
          className="py-8"
          icon={<ComponentIcon size={18} />}
          title={belowServices ? `${title} owns no services directly` : `${title} owns no services`}
          description={
            belowServices
              ? `Its teams own ${belowServices} service${belowServices === 1 ? "" : "s"} between them.`
              : "Set spec.owner to this team in a component’s descriptor to list it here."
          }
          action={
            belowServices ? (
              <Link
                href={catalogueHref}
                className={cn("inline-flex items-center gap-1 text-[13px] font-medium text-indigo-700 hover:underline dark:text-indigo-300", focusRing)}
              >
                See them in the catalogue <ArrowRightIcon size={13} />
              </Link>
            ) : undefined
          }
        />
      )}
    </Card>
  );
  const teamsCard = team.children.length ? (
    <Card aria-labelledby="sub-teams-title">
      <CardHeader
        id="sub-teams-title"
        title={
          <>
            Teams
            <span className="ml-1.5 font-normal text-zinc-400 tabular-nums dark:text-zinc-500">{team.children.length}</span>
          </>
        }
      />
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
        {team.children.map((child) => {
          const counts = childCounts.get(child.name);
          return (
            <li key={child.name} className="relative flex items-center gap-3 px-4 py-2.5 text-[13px] hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
              <span className="flex size-7 shrink-0 items-center justify-center rounded bg-zinc-100 text-[11px] font-semibold text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
                {initials(child.title ?? child.name)}
              </span>
              <div className="min-w-0 flex-1">
                <Link
                  href={`/teams/${encodeURIComponent(child.name)}`}
                  className={cn(
                    "block truncate font-medium text-zinc-900 after:absolute after:inset-0 hover:text-indigo-700 dark:text-zinc-100 dark:hover:text-indigo-300",
                    focusRing,
                  )}
                >
                  {child.title ?? child.name}
                </Link>
                <span className="block truncate font-mono text-[11px] text-zinc-500 dark:text-zinc-400">{child.name}</span>
              </div>
              {counts ? (
                <span className="hidden text-xs text-zinc-500 tabular-nums sm:inline dark:text-zinc-400">
                  {counts.totalMembers} {counts.totalMembers === 1 ? "member" : "members"} · {counts.totalServices}{" "}
                  {counts.totalServices === 1 ? "service" : "services"}
                </span>
              ) : null}
              <Badge className="capitalize">{child.type}</Badge>
            </li>
          );
        })}
      </ul>
    </Card>
  ) : null;

  return (
    <div className="mx-auto max-w-[1440px] px-4 py-5 md:px-6">
      <nav aria-label="Breadcrumb" className="mb-3">
        <ol className="flex flex-wrap items-center gap-1 text-xs text-zinc-500 dark:text-zinc-400">
          <li>
            <Link href="/teams" className={cn("rounded hover:text-zinc-900 dark:hover:text-zinc-100", focusRing)}>
              Teams
            </Link>
          </li>
          {team.ancestors.map((a) => (
            <li key={a.name} className="flex items-center gap-1">
              <ChevronRightIcon size={12} aria-hidden />
              <Link href={`/teams/${encodeURIComponent(a.name)}`} className={cn("rounded hover:text-zinc-900 dark:hover:text-zinc-100", focusRing)}>
                {a.title ?? a.name}
              </Link>
            </li>
          ))}
          <li className="flex items-center gap-1">
            <ChevronRightIcon size={12} aria-hidden />
            <span aria-current="page" className="text-zinc-700 dark:text-zinc-300">
              {title}
            </span>
          </li>
        </ol>
      </nav>

      <header className="flex flex-wrap items-start gap-4">
        <div className="flex size-11 shrink-0 items-center justify-center rounded-lg bg-indigo-50 text-base font-semibold text-indigo-700 dark:bg-indigo-500/15 dark:text-indigo-300">
          {initials(title)}
        </div>
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-x-2.5 gap-y-1">
            <h1 className="text-xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">{title}</h1>
            <Badge tone={team.type === "department" ? "indigo" : team.type === "tribe" ? "violet" : "neutral"} className="capitalize">
              {team.type}
            </Badge>
            <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{team.name}</span>
          </div>
          {team.description ? <p className="mt-1 max-w-3xl text-[13px] leading-relaxed text-zinc-600 dark:text-zinc-400">{team.description}</p> : null}
        </div>
      </header>

      <div className="mt-6 grid grid-cols-1 gap-5 lg:grid-cols-[minmax(0,1fr)_320px]">
        <div className="min-w-0 space-y-5 max-lg:order-2">
          {delivery}
          {team.services.length === 0 && team.children.length ? (
            <>
              {teamsCard}
              {servicesCard}
            </>
          ) : (
            <>
              {servicesCard}
              {teamsCard}
            </>
          )}
        </div>

        <aside className="max-lg:contents lg:space-y-5" aria-label="Contact and members">
          <Card aria-labelledby="contact-title" className="max-lg:order-1">
            <CardHeader id="contact-title" title="Contact" />
            <dl className="space-y-1.5 px-4 py-3 text-[13px]">
              <div className="flex h-7 items-center gap-2.5">
                <dt className="text-zinc-400 dark:text-zinc-500">
                  <MailIcon size={14} />
                  <span className="sr-only">Email</span>
                </dt>
                <dd className="flex min-w-0 flex-1 items-center gap-1">
                  {team.email ? (
                    <>
                      <a
                        href={`mailto:${team.email}`}
                        title={team.email}
                        className={cn("truncate text-indigo-700 hover:underline dark:text-indigo-300", focusRing)}
                      >
                        {team.email}
                      </a>
                      <CopyButton value={team.email} label="Copy email address" className="ml-auto" />
                    </>
                  ) : (
                    <span className="text-zinc-400 dark:text-zinc-500">No email</span>
                  )}
                </dd>
              </div>
              <div className="flex h-7 items-center gap-2.5">
                <dt className="text-zinc-400 dark:text-zinc-500">
                  <HashIcon size={14} />
                  <span className="sr-only">Chat channel</span>
                </dt>
                <dd className="flex min-w-0 flex-1 items-center gap-1">
                  {team.chatChannel ? (
                    <>
                      <span className="truncate font-medium text-zinc-800 dark:text-zinc-200">{team.chatChannel}</span>
                      <CopyButton value={team.chatChannel} label="Copy chat channel" className="ml-auto" />
                    </>
                  ) : (
                    <span className="text-zinc-400 dark:text-zinc-500">No chat channel</span>
                  )}
                </dd>
              </div>
            </dl>
            {team.links.length ? (
              <ul className="border-t border-zinc-200 py-1.5 dark:border-zinc-800">
                {team.links.map((link) => (
                  <li key={link.url}>
                    <a
                      href={link.url}
                      target="_blank"
                      rel="noreferrer"
                      className={cn("group flex items-center gap-2.5 px-4 py-1.5 text-[13px] hover:bg-zinc-50 dark:hover:bg-zinc-800/40", focusRing)}
                    >
                      <LinkIcon size={14} className="text-zinc-400 dark:text-zinc-500" />
                      <span className="min-w-0 flex-1 truncate font-medium text-zinc-800 dark:text-zinc-200">{link.title ?? link.url}</span>
                      <ExternalLinkIcon size={13} className="text-zinc-300 dark:text-zinc-600" />
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
          </Card>

          <Card aria-labelledby="members-title" className="max-lg:order-3">
            <CardHeader
              id="members-title"
              title={
                <>
                  Members
                  <span className="ml-1.5 font-normal text-zinc-400 tabular-nums dark:text-zinc-500">{team.members.length}</span>
                </>
              }
            />
            {team.members.length ? (
              <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
                {team.members.map((m) => {
                  const name = m.displayName ?? m.name;
                  return (
                    <li key={m.name} className="flex items-center gap-3 px-4 py-2">
                      <span
                        aria-hidden
                        className="flex size-7 shrink-0 items-center justify-center rounded-full bg-zinc-100 text-[11px] font-semibold text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300"
                      >
                        {initials(name)}
                      </span>
                      <div className="min-w-0 flex-1">
                        <p className="truncate text-[13px] font-medium text-zinc-900 dark:text-zinc-100">{name}</p>
                        {m.email ? (
                          <a
                            href={`mailto:${m.email}`}
                            className={cn(
                              "block truncate text-xs text-zinc-500 hover:text-indigo-700 hover:underline dark:text-zinc-400 dark:hover:text-indigo-300",
                              focusRing,
                            )}
                          >
                            {m.email}
                          </a>
                        ) : null}
                      </div>
                      {m.role !== "member" ? <Badge className="capitalize">{m.role}</Badge> : null}
                    </li>
                  );
                })}
              </ul>
            ) : (
              <p className="flex items-center gap-2 px-4 py-3 text-[13px] text-zinc-500 dark:text-zinc-400">
                <UsersIcon size={14} className="shrink-0" />
                {team.children.length ? "People belong to the teams below it." : "No members listed."}
              </p>
            )}
          </Card>
        </aside>
      </div>
    </div>
  );
}
