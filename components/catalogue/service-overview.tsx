import Link from "next/link";
import type { ReactNode } from "react";
import type { ServiceDetail } from "@/server/catalogue/contract";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { ArrowRightIcon, BellIcon, BookIcon, ChartIcon, ExternalLinkIcon, HashIcon, LinkIcon, MailIcon, RepoIcon, UsersIcon } from "@/components/ui/icons";
import { CopyButton } from "./copy-button";
import { DependencyGraph } from "./dependency-graph";
import { EntityRefList } from "./entity-ref-list";
import { entityHref, kindLabel } from "./entity-href";
import type { ListedVersion, ServiceVersions } from "@/server/cluster/contract";
import { versionStatus, versionText } from "./running-versions";
import { Time } from "@/components/ui/time";
import { relationSections, visibleSections } from "./service-relations";

/** The Overview tab: who owns it and how to reach them, where its docs live, and what it is connected to. */
export function ServiceOverview({ service, versions }: { service: ServiceDetail; versions?: ServiceVersions | null }) {
  const { left, right } = relationSections(service);
  const sections = [...visibleSections(left), ...visibleSections(right)];
  const anyRelation = [...left, ...right].some((s) => s.refs.length > 0);

  return (
    <div className="grid grid-cols-1 gap-5 lg:grid-cols-[minmax(0,1fr)_300px] xl:grid-cols-[minmax(0,1fr)_320px]">
      <div className="min-w-0 space-y-5 max-lg:order-3">
        {anyRelation ? (
          <Card className="hidden xl:block" aria-labelledby="graph-title">
            <CardHeader id="graph-title" title="Dependencies" description="What uses it, and what it uses. Select a box to open it." />
            <div className="px-4 pt-3 pb-4">
              <DependencyGraph
                center={{ name: service.name, title: service.title, kind: service.kind }}
                left={visibleSections(left)}
                right={visibleSections(right)}
              />
            </div>
          </Card>
        ) : null}

        <div className="grid grid-cols-1 items-start gap-5 md:grid-cols-2">
          {sections.map((section) => (
            <Card key={section.id} id={section.id} aria-labelledby={`${section.id}-title`} className="scroll-mt-20">
              <CardHeader
                id={`${section.id}-title`}
                title={
                  <>
                    {section.title}
                    <span className="ml-1.5 font-normal text-zinc-400 tabular-nums dark:text-zinc-500">{section.refs.length}</span>
                  </>
                }
              />
              <EntityRefList refs={section.refs} empty={section.empty} />
            </Card>
          ))}
        </div>

        {service.kind === "api" ? <ApiDefinition service={service} /> : null}
      </div>

      <aside className="max-lg:contents lg:space-y-5" aria-label="Ownership and links">
        {service.kind === "component" && versions !== undefined ? <RunningCard service={service} versions={versions} /> : null}
        <OwnerCard team={service.team} />
        <LinksCard service={service} />
        <AboutCard service={service} />
      </aside>
    </div>
  );
}

const stateTone: Record<ListedVersion["state"], string> = {
  complete: "",
  progressing: "text-sky-700 dark:text-sky-300",
  paused: "text-amber-700 dark:text-amber-300",
  failed: "text-red-700 dark:text-red-300",
  waiting: "text-zinc-500 dark:text-zinc-400",
};
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The version each environment runs, from the clusters; the Runtime tab has the detail. */
function RunningCard({ service, versions }: { service: ServiceDetail; versions: ServiceVersions | null }) {
  const byEnvironment = versions?.versions[service.name];
  const runtimeHref = `${entityHref(service.kind, service.name)}/runtime`;
  return (
    <Card aria-labelledby="running-title" className="max-lg:order-1">
      <CardHeader
        id="running-title"
        title="Running versions"
        actions={
          <Link
            href={runtimeHref}
            className={cn("inline-flex items-center gap-1 rounded text-xs font-medium text-indigo-700 hover:underline dark:text-indigo-300", focusRing)}
          >
            Runtime
            <ArrowRightIcon size={13} />
          </Link>
        }
      />
      {!versions ? (
        <p className="px-4 py-3 text-[13px] text-zinc-500 dark:text-zinc-400">The clusters did not answer in time. The Runtime tab shows what they report.</p>
      ) : !versions.environments.length ? (
        <p className="px-4 py-3 text-[13px] text-zinc-500 dark:text-zinc-400">No clusters are configured.</p>
      ) : (
        <dl className="divide-y divide-zinc-100 text-[13px] dark:divide-zinc-800" aria-label="Running versions">
          {versions.environments.map((env) => {
            const v = byEnvironment?.[env.name] ?? null;
            const status = v && versionStatus(v);
            const state = status?.text;
            return (
              <div key={env.name} data-environment={env.name} className="flex items-center gap-3 px-4 py-2">
                <dt className="min-w-0 flex-1 truncate text-zinc-600 dark:text-zinc-400">{env.title}</dt>
                <dd className="flex min-w-0 items-center gap-2">
                  {status && state ? (
                    <span className={cn("text-[11px] font-medium", stateTone[status.tone])} title={status.detail ?? undefined}>
                      {sentence(state)}
                    </span>
                  ) : null}
                  {v?.mixed ? <span className="text-[11px] font-medium text-amber-700 dark:text-amber-300">mixed</span> : null}
                  {v ? (
                    <span className="truncate font-mono text-[13px] font-semibold text-zinc-900 dark:text-zinc-100" title={v.image}>
                      {versionText(v)}
                    </span>
                  ) : (
                    <span className="text-zinc-400 dark:text-zinc-500">Not running</span>
                  )}
                </dd>
              </div>
            );
          })}
        </dl>
      )}
    </Card>
  );
}

function OwnerCard({ team }: { team: ServiceDetail["team"] }) {
  return (
    <Card aria-labelledby="owner-title" className="max-lg:order-1">
      <CardHeader id="owner-title" title="Owner" description={team ? "Who to reach when it misbehaves" : undefined} />
      {team ? (
        <div className="px-4 py-3">
          <Link href={`/teams/${encodeURIComponent(team.name)}`} className={cn("group flex items-center gap-3 rounded-md", focusRing)}>
            <span className="flex size-9 shrink-0 items-center justify-center rounded-md bg-indigo-50 text-indigo-600 dark:bg-indigo-500/15 dark:text-indigo-300">
              <UsersIcon size={17} />
            </span>
            <span className="min-w-0">
              <span className="block truncate text-sm font-semibold text-zinc-900 group-hover:text-indigo-700 dark:text-zinc-100 dark:group-hover:text-indigo-300">
                {team.title ?? team.name}
              </span>
              <span className="block truncate font-mono text-xs text-zinc-500 dark:text-zinc-400">{team.name}</span>
            </span>
            <ArrowRightIcon size={14} className="ml-auto text-zinc-300 group-hover:text-zinc-500 dark:text-zinc-600 dark:group-hover:text-zinc-400" />
          </Link>
          <dl className="mt-3 space-y-1.5 text-[13px]">
            <ContactRow icon={<MailIcon size={14} />} label="Email">
              {team.email ? (
                <>
                  <a href={`mailto:${team.email}`} className={cn("truncate text-indigo-700 hover:underline dark:text-indigo-300", focusRing)}>
                    {team.email}
                  </a>
                  <CopyButton value={team.email} label="Copy email address" className="ml-auto" />
                </>
              ) : (
                <span className="text-zinc-400 dark:text-zinc-500">Not set</span>
              )}
            </ContactRow>
            <ContactRow icon={<HashIcon size={14} />} label="Chat">
              {team.chatChannel ? (
                <>
                  <span className="truncate font-medium text-zinc-800 dark:text-zinc-200">{team.chatChannel}</span>
                  <CopyButton value={team.chatChannel} label="Copy chat channel" className="ml-auto" />
                </>
              ) : (
                <span className="text-zinc-400 dark:text-zinc-500">Not set</span>
              )}
            </ContactRow>
          </dl>
        </div>
      ) : (
        <p className="px-4 py-3 text-[13px] text-amber-700 dark:text-amber-300">
          No team owns this. Add <code className="font-mono text-xs">spec.owner</code> to its descriptor so on-call knows who to call.
        </p>
      )}
    </Card>
  );
}

function ContactRow({ icon, label, children }: { icon: ReactNode; label: string; children: ReactNode }) {
  return (
    <div className="flex h-7 items-center gap-2.5">
      <dt className="flex shrink-0 items-center text-zinc-400 dark:text-zinc-500">
        {icon}
        <span className="sr-only">{label}</span>
      </dt>
      <dd className="flex min-w-0 flex-1 items-center gap-1">{children}</dd>
    </div>
  );
}

function linkIcon(link: { icon?: string; type?: string; title?: string }) {
  const hint = `${link.icon ?? ""} ${link.type ?? ""} ${link.title ?? ""}`.toLowerCase();
  if (/dashboard|grafana|chart|metric/.test(hint)) return <ChartIcon size={14} />;
  if (/alert|on-?call|pager/.test(hint)) return <BellIcon size={14} />;
  if (/docs|runbook|book|wiki/.test(hint)) return <BookIcon size={14} />;
  if (/chat|slack/.test(hint)) return <HashIcon size={14} />;
  return <LinkIcon size={14} />;
}

function hostOf(url: string) {
  try {
    return new URL(url).host.replace(/^www\./, "");
  } catch {
    return url;
  }
}

function LinksCard({ service }: { service: ServiceDetail }) {
  const links = [
    ...service.links.map((l) => ({ url: l.url, title: l.title ?? hostOf(l.url), icon: linkIcon(l) })),
    ...(service.repositoryUrl ? [{ url: service.repositoryUrl, title: "Repository", icon: <RepoIcon size={14} /> }] : []),
  ];
  return (
    <Card aria-labelledby="links-title" className="max-lg:order-2">
      <CardHeader id="links-title" title="Links" />
      {links.length ? (
        <ul className="py-1.5">
          {links.map((link) => (
            <li key={link.url}>
              <a
                href={link.url}
                target="_blank"
                rel="noreferrer"
                className={cn("group flex items-center gap-2.5 px-4 py-1.5 text-[13px] hover:bg-zinc-50 dark:hover:bg-zinc-800/40", focusRing)}
              >
                <span className="text-zinc-400 dark:text-zinc-500">{link.icon}</span>
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium text-zinc-800 group-hover:text-indigo-700 dark:text-zinc-200 dark:group-hover:text-indigo-300">
                    {link.title}
                  </span>
                  <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400">{hostOf(link.url)}</span>
                </span>
                <ExternalLinkIcon size={13} className="shrink-0 text-zinc-300 group-hover:text-zinc-500 dark:text-zinc-600" />
                <span className="sr-only">(opens in a new tab)</span>
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p className="px-4 py-3 text-[13px] text-zinc-500 dark:text-zinc-400">
          No links yet. Add a runbook and dashboards under <code className="font-mono text-xs">metadata.links</code>.
        </p>
      )}
    </Card>
  );
}

function AboutCard({ service }: { service: ServiceDetail }) {
  const annotations = Object.entries(service.annotations).sort(([a], [b]) => a.localeCompare(b));
  const rows: Array<[string, ReactNode]> = [
    ["Kind", kindLabel[service.kind]?.one ?? service.kind],
    ["Type", service.type],
    ["System", service.system ? <span className="font-mono text-xs">{service.system}</span> : <span className="text-zinc-400 dark:text-zinc-500">None</span>],
    ["Lifecycle", service.lifecycle],
    ["Tier", service.tier === null ? <span className="text-zinc-400 dark:text-zinc-500">Not set</span> : String(service.tier)],
    ["Updated", <Time key="u" iso={service.updatedAt} />],
  ];
  return (
    <Card aria-labelledby="about-title" className="max-lg:order-4">
      <CardHeader id="about-title" title="About" />
      <dl className="grid grid-cols-[88px_minmax(0,1fr)] gap-x-3 gap-y-1.5 px-4 py-3 text-[13px]">
        {rows.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-zinc-500 dark:text-zinc-400">{term}</dt>
            <dd className="truncate text-zinc-800 dark:text-zinc-200">{value}</dd>
          </div>
        ))}
      </dl>
      {annotations.length ? (
        <details className="group border-t border-zinc-200 dark:border-zinc-800">
          <summary
            className={cn(
              "flex cursor-pointer list-none items-center justify-between px-4 py-2 text-xs font-medium text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100 [&::-webkit-details-marker]:hidden",
              focusRing,
            )}
          >
            Annotations ({annotations.length})<span className="text-zinc-400 transition-transform group-open:rotate-90">›</span>
          </summary>
          <dl className="space-y-1.5 px-4 pb-3">
            {annotations.map(([key, value]) => (
              <div key={key} className="min-w-0">
                <dt className="truncate font-mono text-[11px] text-zinc-500 dark:text-zinc-400">{key}</dt>
                <dd className="truncate font-mono text-xs text-zinc-800 dark:text-zinc-200" title={value}>
                  {value}
                </dd>
              </div>
            ))}
          </dl>
        </details>
      ) : null}
    </Card>
  );
}

function ApiDefinition({ service }: { service: ServiceDetail }) {
  return (
    <Card aria-labelledby="definition-title">
      <CardHeader
        id="definition-title"
        title="Definition"
        description={<span className="font-mono">{service.type}</span>}
        actions={service.definition ? <CopyButton value={service.definition} label="Copy the definition" /> : null}
      />
      {service.definition ? (
        <pre
          tabIndex={0}
          aria-label={`${service.type} definition of ${service.name}`}
          className={cn(
            "max-h-[32rem] overflow-auto bg-zinc-50 px-4 py-3 font-mono text-xs leading-relaxed text-zinc-800 dark:bg-zinc-950/60 dark:text-zinc-300",
            focusRing,
          )}
        >
          <code>{service.definition}</code>
        </pre>
      ) : (
        <p className="px-4 py-3 text-[13px] text-zinc-500 dark:text-zinc-400">
          The descriptor has no <code className="font-mono text-xs">spec.definition</code>.
        </p>
      )}
    </Card>
  );
}
