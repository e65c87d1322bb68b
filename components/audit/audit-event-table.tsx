"use client";
import Link from "next/link";
import { Fragment, useState, type MouseEvent } from "react";
import type { AuditEvent } from "@/server/audit/contract";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { ChevronRightIcon, FilterIcon } from "@/components/ui/icons";
import { Time } from "@/components/ui/time";
import { actionTone, AuditActor } from "./audit-actor";
import { AuditEventDetails } from "./audit-event-details";
import type { AuditFilters } from "./audit-filters";

/** Where a target lives in the portal, when it has a page of its own. */
function targetHref(event: AuditEvent): string | null {
  if (!event.targetId) return null;
  if (event.targetType === "service") return `/services/${encodeURIComponent(event.targetId)}`;
  if (event.targetType === "team") return `/teams/${encodeURIComponent(event.targetId)}`;
  if (event.targetType === "rollout") return `/rollouts/${encodeURIComponent(event.targetId)}`;
  return null;
}

const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A readable name for targets known by a UUID (API tokens, rollouts): the name the event recorded, if any. */
function friendlyName(event: AuditEvent): string | null {
  if (!event.targetId || !uuidLike.test(event.targetId)) return null;
  if (event.targetType === "rollout") {
    const { service, environment, version, to } = event.details as { service?: unknown; environment?: unknown; version?: unknown; to?: unknown };
    if (typeof service === "string") {
      const what = [service, typeof (version ?? to) === "string" ? (version ?? to) : null].filter(Boolean).join(" ");
      return typeof environment === "string" ? `${what} → ${environment}` : what;
    }
  }
  for (const side of [event.details.after, event.details.before]) {
    const name = (side as { name?: unknown } | undefined)?.name;
    if (typeof name === "string" && name) return name;
  }
  return null;
}

function Target({ event }: { event: AuditEvent }) {
  const href = targetHref(event);
  const friendly = friendlyName(event);
  const id = event.targetId;
  return (
    <span className="flex min-w-0 items-baseline gap-1.5" title={id ? `${event.targetType} ${id}` : event.targetType}>
      <span className="shrink-0 text-xs text-zinc-500 dark:text-zinc-400">{event.targetType}</span>
      {id ? (
        href ? (
          <Link href={href} className={cn("truncate font-mono text-xs text-indigo-700 hover:underline dark:text-indigo-300", focusRing)}>
            {friendly ?? id}
            {friendly ? <span className="ml-1.5 text-zinc-400 dark:text-zinc-500">{id.slice(0, 8)}</span> : null}
          </Link>
        ) : friendly ? (
          <span className="min-w-0 truncate text-xs text-zinc-800 dark:text-zinc-200">
            {friendly} <span className="font-mono text-zinc-400 dark:text-zinc-500">{id.slice(0, 8)}</span>
          </span>
        ) : (
          <span className="truncate font-mono text-xs text-zinc-800 dark:text-zinc-200">{id}</span>
        )
      ) : null}
    </span>
  );
}

function FilterShortcuts({ event, onFilter }: { event: AuditEvent; onFilter: (patch: Partial<AuditFilters>) => void }) {
  const shortcut = (label: string, value: string, patch: Partial<AuditFilters>) => (
    <button
      type="button"
      title={`Show only events with ${label} ${value}`}
      className={buttonClass({ size: "sm", className: "max-w-full" })}
      onClick={() => onFilter(patch)}
    >
      <FilterIcon size={12} />
      <span className="text-zinc-500 dark:text-zinc-400">{label}</span>
      <span className="truncate font-mono text-xs">{value}</span>
    </button>
  );
  return (
    <div className="flex flex-wrap items-center gap-2">
      <span className="text-xs text-zinc-500 dark:text-zinc-400">Show only:</span>
      {shortcut("actor", event.actorName, { actor: event.actorName })}
      {shortcut("action", event.action, { action: event.action })}
      {event.targetId ? shortcut(event.targetType, friendlyName(event) ?? event.targetId, { targetType: event.targetType, target: event.targetId }) : null}
    </div>
  );
}

const clickedControl = (event: MouseEvent) => (event.target as HTMLElement).closest("a, button, input, select, textarea, pre, dl") !== null;

/**
 * Events, newest first. Each row opens to show what changed; wide screens get a table, phones a list of cards.
 */
export function AuditEventTable({ events, onFilter }: { events: AuditEvent[]; onFilter: (patch: Partial<AuditFilters>) => void }) {
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <>
      <div
        // Focusable so a keyboard can scroll the table sideways where it is wider than the screen.
        tabIndex={0}
        role="region"
        aria-label="Audit events"
        className={cn("hidden overflow-x-auto rounded-lg border border-zinc-200 bg-white md:block dark:border-zinc-800 dark:bg-zinc-900/60", focusRing)}
      >
        <table className="w-full min-w-[860px] table-fixed text-left text-[13px]">
          <colgroup>
            <col className="w-9" />
            <col className="w-[13rem]" />
            <col className="w-[17%]" />
            <col className="w-[13rem]" />
            <col />
            <col className="w-[7.5rem]" />
            <col className="w-[8.5rem]" />
          </colgroup>
          <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500 dark:border-zinc-800 dark:bg-zinc-950/40 dark:text-zinc-400">
            <tr>
              <th scope="col" className="py-2 pl-3">
                <span className="sr-only">Details</span>
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Time
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Actor
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Action
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Target
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Request
              </th>
              <th scope="col" className="px-3 py-2 pr-4 font-medium">
                Source IP
              </th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => {
              const expanded = open.has(event.id);
              const detailsId = `audit-event-${event.id}`;
              return (
                <Fragment key={event.id}>
                  <tr
                    onClick={(e) => !clickedControl(e) && toggle(event.id)}
                    className={cn(
                      "cursor-pointer border-t border-zinc-100 align-middle first:border-t-0 hover:bg-zinc-50 dark:border-zinc-800/80 dark:hover:bg-zinc-800/30",
                      expanded && "bg-zinc-50 dark:bg-zinc-800/30",
                    )}
                  >
                    <td className="py-2 pl-3">
                      <button
                        type="button"
                        onClick={() => toggle(event.id)}
                        aria-expanded={expanded}
                        aria-controls={detailsId}
                        aria-label={`${expanded ? "Hide" : "Show"} details of event #${event.seq}`}
                        className={cn(
                          "flex size-6 items-center justify-center rounded text-zinc-400 hover:bg-zinc-200/70 hover:text-zinc-700 dark:hover:bg-zinc-700 dark:hover:text-zinc-200",
                          focusRing,
                        )}
                      >
                        <ChevronRightIcon size={14} className={cn("transition-transform", expanded && "rotate-90")} />
                      </button>
                    </td>
                    <td className="px-3 py-2 whitespace-nowrap text-zinc-700 tabular-nums dark:text-zinc-300">
                      <Time iso={event.occurredAt} format="datetime" seconds />
                    </td>
                    <td className="px-3 py-2 text-zinc-800 dark:text-zinc-200">
                      <AuditActor type={event.actorType} name={event.actorName} />
                    </td>
                    <td className="px-3 py-2">
                      <Badge tone={actionTone(event.action)} className="max-w-full truncate font-mono">
                        {event.action}
                      </Badge>
                    </td>
                    <td className="px-3 py-2">
                      <Target event={event} />
                    </td>
                    <td className="px-3 py-2">
                      {event.requestId ? (
                        <span className="block truncate font-mono text-xs text-zinc-500 dark:text-zinc-400" title={event.requestId}>
                          {event.requestId.slice(0, 8)}
                        </span>
                      ) : (
                        <span className="text-zinc-400">—</span>
                      )}
                    </td>
                    <td className="truncate px-3 py-2 pr-4 font-mono text-xs text-zinc-500 dark:text-zinc-400" title={event.sourceIp ?? undefined}>
                      {event.sourceIp ?? "—"}
                    </td>
                  </tr>
                  {expanded ? (
                    <tr id={detailsId} className="bg-zinc-50/80 dark:bg-zinc-950/30">
                      <td />
                      <td colSpan={6} className="px-3 pt-1 pb-4 pr-4">
                        <div className="space-y-3">
                          <AuditEventDetails event={event} />
                          <FilterShortcuts event={event} onFilter={onFilter} />
                        </div>
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>

      <ul className="divide-y divide-zinc-200 overflow-hidden rounded-lg border border-zinc-200 bg-white md:hidden dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900/60">
        {events.map((event) => {
          const expanded = open.has(event.id);
          const detailsId = `audit-event-m-${event.id}`;
          return (
            <li key={event.id} className={cn(expanded && "bg-zinc-50 dark:bg-zinc-950/30")}>
              {/* The target is a link of its own, so it sits below the toggle button rather than inside it. */}
              <button
                type="button"
                onClick={() => toggle(event.id)}
                aria-expanded={expanded}
                aria-controls={detailsId}
                className={cn("flex w-full items-start gap-2 px-3 pt-3 pb-1.5 text-left", focusRing)}
              >
                <ChevronRightIcon size={14} className={cn("mt-1 shrink-0 text-zinc-400 transition-transform", expanded && "rotate-90")} />
                <span className="min-w-0 flex-1 space-y-1.5">
                  <span className="flex items-center justify-between gap-2">
                    <Badge tone={actionTone(event.action)} className="min-w-0 truncate font-mono">
                      {event.action}
                    </Badge>
                    <Time iso={event.occurredAt} format="datetime" seconds className="shrink-0 text-xs text-zinc-500 tabular-nums dark:text-zinc-400" />
                  </span>
                  <span className="block text-[13px] text-zinc-800 dark:text-zinc-200">
                    <AuditActor type={event.actorType} name={event.actorName} />
                  </span>
                </span>
              </button>
              <div className="pr-3 pb-3 pl-[2.375rem]">
                <Target event={event} />
              </div>
              {expanded ? (
                <div id={detailsId} className="space-y-3 px-3 pb-4">
                  <dl className="grid grid-cols-2 gap-3 text-xs">
                    <div className="min-w-0">
                      <dt className="text-[11px] text-zinc-500 dark:text-zinc-400">Source IP</dt>
                      <dd className="truncate font-mono text-zinc-800 dark:text-zinc-200">{event.sourceIp ?? "—"}</dd>
                    </div>
                    <div className="min-w-0">
                      <dt className="text-[11px] text-zinc-500 dark:text-zinc-400">Request</dt>
                      <dd className="truncate font-mono text-zinc-800 dark:text-zinc-200">{event.requestId?.slice(0, 8) ?? "—"}</dd>
                    </div>
                  </dl>
                  <AuditEventDetails event={event} />
                  <FilterShortcuts event={event} onFilter={onFilter} />
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
    </>
  );
}
