"use client";
import { useQuery } from "@tanstack/react-query";
import type { AuditEvent } from "@/server/audit/contract";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { ChevronRightIcon } from "@/components/ui/icons";
import { Time } from "@/components/ui/time";
import { retryUnlessClientError } from "@/components/api/client";
import { fetchAuditPage } from "@/components/api/audit";
import { AuditEventTable } from "./audit-event-table";
import type { AuditFilters } from "./audit-filters";

/** Events in page order, with every rollout's events gathered where its newest one appears. */
export type AuditGroup = { kind: "rollout"; rolloutId: string; events: AuditEvent[] } | { kind: "other"; events: AuditEvent[] };

export function groupByRollout(events: AuditEvent[]): AuditGroup[] {
  const groups: AuditGroup[] = [];
  const rollouts = new Map<string, AuditEvent[]>();
  for (const event of events) {
    if (event.targetType === "rollout" && event.targetId) {
      const existing = rollouts.get(event.targetId);
      if (existing) existing.push(event);
      else {
        const list = [event];
        rollouts.set(event.targetId, list);
        groups.push({ kind: "rollout", rolloutId: event.targetId, events: list });
      }
      continue;
    }
    const last = groups.at(-1);
    if (last?.kind === "other") last.events.push(event);
    else groups.push({ kind: "other", events: [event] });
  }
  return groups;
}

const outcomeTone: Record<string, BadgeTone> = {
  succeeded: "green",
  failed: "red",
  rolled_back: "amber",
  rejected: "red",
  cancelled: "neutral",
  expired: "neutral",
  superseded: "neutral",
};

/** Who asked, who approved, where it ended: read from the rollout's own events. */
export function summarizeRollout(events: AuditEvent[]) {
  const oldestFirst = [...events].sort((a, b) => Number(BigInt(a.seq) - BigInt(b.seq)));
  const text = (v: unknown) => (typeof v === "string" && v ? v : null);
  const first = oldestFirst.find((e) => text(e.details.service)) ?? oldestFirst[0];
  const request = oldestFirst.find((e) => e.action === "rollout.request" || e.action === "rollout.auto");
  const approvers = [...new Set(oldestFirst.filter((e) => e.action === "checkpoint.approve").map((e) => e.actorName))];
  const last = oldestFirst.at(-1);
  const outcome = text((last?.details.after as { state?: unknown } | undefined)?.state) ?? text(last?.details.state);
  return {
    service: text(first?.details.service),
    environment: oldestFirst.map((e) => text(e.details.environment)).find(Boolean) ?? null,
    version: oldestFirst.map((e) => text(e.details.version)).find(Boolean) ?? null,
    requestedBy: request?.actorName ?? null,
    approvers,
    outcome,
    at: last?.occurredAt ?? null,
  };
}

function RolloutGroup({ rolloutId, matched, onFilter }: { rolloutId: string; matched: AuditEvent[]; onFilter: (patch: Partial<AuditFilters>) => void }) {
  // The filters may have matched only some of its events (say, the outcome): the summary reads all of them.
  const trail = useQuery({
    queryKey: ["audit", "rollout", rolloutId],
    queryFn: ({ signal }) => fetchAuditPage(new URLSearchParams({ targetType: "rollout", target: rolloutId }).toString(), null, signal),
    staleTime: 60_000,
    retry: retryUnlessClientError,
  });
  const all = trail.data?.items ?? matched;
  const s = summarizeRollout(all);
  const hidden = all.length - matched.length;
  return (
    <details className="group rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/60">
      <summary
        className={cn(
          "flex cursor-pointer list-none flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2.5 text-[13px] [&::-webkit-details-marker]:hidden",
          focusRing,
        )}
      >
        <ChevronRightIcon size={14} className="shrink-0 text-zinc-400 transition-transform group-open:rotate-90" aria-hidden />
        <span className="font-medium text-zinc-900 dark:text-zinc-100">
          {s.service ?? "Rollout"} {s.version ? <span className="font-mono">{s.version}</span> : null}
          {s.environment ? <span className="font-normal text-zinc-500 dark:text-zinc-400"> → {s.environment}</span> : null}
        </span>
        {s.outcome ? <Badge tone={outcomeTone[s.outcome] ?? "indigo"}>{s.outcome.replace("_", " ")}</Badge> : null}
        <span className="text-zinc-600 dark:text-zinc-300">
          {s.requestedBy ? (
            <>
              requested by <span className="font-medium">{s.requestedBy}</span>
            </>
          ) : trail.isPending ? (
            "loading who requested it…"
          ) : null}
          {s.approvers.length ? (
            <>
              , approved by <span className="font-medium">{s.approvers.join(" and ")}</span>
            </>
          ) : null}
        </span>
        {s.at ? <Time iso={s.at} format="datetime" seconds className="ml-auto text-xs text-zinc-500 tabular-nums dark:text-zinc-400" /> : null}
        <span className="w-full pl-6 text-xs text-zinc-500 dark:text-zinc-400">
          {all.length} event{all.length === 1 ? "" : "s"}
          {hidden > 0 ? ` (${matched.length} matching the filters)` : ""}
        </span>
      </summary>
      <div className="space-y-2 border-t border-zinc-200 p-2 dark:border-zinc-800">
        <AuditEventTable events={all} onFilter={onFilter} />
        <button
          type="button"
          className={buttonClass({ size: "sm" })}
          onClick={() => onFilter({ targetType: "rollout", target: rolloutId, environment: "", outcome: "", action: "", actor: "" })}
        >
          Only this rollout
        </button>
      </div>
    </details>
  );
}

/** The events with each rollout's events together in one collapsible group, summarised by who did what. */
export function RolloutGroups({ events, onFilter }: { events: AuditEvent[]; onFilter: (patch: Partial<AuditFilters>) => void }) {
  return (
    <div className="space-y-2">
      {groupByRollout(events).map((group) =>
        group.kind === "rollout" ? (
          <RolloutGroup key={group.rolloutId} rolloutId={group.rolloutId} matched={group.events} onFilter={onFilter} />
        ) : (
          <AuditEventTable key={`other-${group.events[0]!.seq}`} events={group.events} onFilter={onFilter} />
        ),
      )}
    </div>
  );
}
