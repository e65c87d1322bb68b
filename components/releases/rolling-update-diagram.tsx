import { cn } from "@/components/ui/cn";
import { stuckReasons } from "./format";
import type { PodView, ReplicaSetView, WorkloadView } from "./types";

type SlotState = "ready" | "starting" | "stuck" | "terminating" | "pending";

type Slot = { key: string; state: SlotState; title: string };

export type ReplicaSetRole = "new" | "old";

export type ReplicaSetRow = {
  role: ReplicaSetRole;
  replicaSet: ReplicaSetView;
  pods: PodView[];
  version: string | null;
};

const maxSlots = 60;

/** Which ReplicaSet is the new one (the workload's current revision) and which old ones still hold pods. */
export function replicaSetRows(workload: WorkloadView, replicaSets: ReplicaSetView[], pods: PodView[]): ReplicaSetRow[] {
  if (!replicaSets.length) return [];
  const byRevision = [...replicaSets].sort((a, b) => (b.revision ?? -1) - (a.revision ?? -1));
  const current = byRevision.find((rs) => workload.revision !== null && rs.revision === workload.revision) ?? byRevision[0]!;
  const podsOf = (rs: ReplicaSetView) => pods.filter((p) => rs.podTemplateHash !== null && p.podTemplateHash === rs.podTemplateHash);
  const holding = (rs: ReplicaSetView) => rs.replicas.desired > 0 || rs.replicas.current > 0 || podsOf(rs).length > 0;
  let old = byRevision.filter((rs) => rs !== current && holding(rs));
  // A finished rollout still shows where it came from: the previous ReplicaSet, drained to zero.
  if (!old.length) {
    const previous = byRevision.find((rs) => rs !== current);
    if (previous) old = [previous];
  }
  const tag = (rs: ReplicaSetView) => rs.images[0]?.tag ?? (rs.images[0]?.digest ? rs.images[0].digest.slice(7, 19) : null);
  return [
    { role: "new", replicaSet: current, pods: podsOf(current), version: tag(current) },
    ...old.map((rs) => ({ role: "old" as const, replicaSet: rs, pods: podsOf(rs), version: tag(rs) })),
  ];
}

function podState(pod: PodView): SlotState {
  if (pod.status === "Terminating") return "terminating";
  if ((pod.waitingReason && stuckReasons.has(pod.waitingReason)) || (!pod.ready && pod.restarts >= 3)) return "stuck";
  return pod.ready ? "ready" : "starting";
}

const order: Record<SlotState, number> = { ready: 0, starting: 1, stuck: 2, terminating: 3, pending: 4 };

/**
 * One slot per pod the ReplicaSet has or will have: from its pods when the cluster reported them, otherwise from
 * its counts. `target` is how many the ReplicaSet will end with (the workload's desired count for the new one).
 */
function slotsOf(row: ReplicaSetRow, target: number): Slot[] {
  const { replicaSet: rs, pods } = row;
  const slots: Slot[] = [];
  if (pods.length) {
    for (const pod of [...pods].sort((a, b) => order[podState(a)] - order[podState(b)] || a.name.localeCompare(b.name))) {
      const state = podState(pod);
      slots.push({ key: pod.name, state, title: `${pod.name}: ${pod.waitingReason ?? pod.status}${pod.ready ? ", ready" : ", not ready"}` });
    }
    const live = pods.filter((p) => p.status !== "Terminating").length;
    for (let i = live; i < Math.max(rs.replicas.desired, target); i++) slots.push({ key: `pending-${i}`, state: "pending", title: "Not created yet" });
  } else {
    const ready = Math.min(rs.replicas.ready, rs.replicas.current);
    for (let i = 0; i < ready; i++) slots.push({ key: `ready-${i}`, state: "ready", title: "Ready" });
    const starting = Math.max(0, Math.min(rs.replicas.current, rs.replicas.desired) - ready);
    for (let i = 0; i < starting; i++) slots.push({ key: `starting-${i}`, state: "starting", title: "Starting, not ready" });
    const leaving = Math.max(0, rs.replicas.current - Math.max(rs.replicas.desired, ready));
    for (let i = 0; i < leaving; i++) slots.push({ key: `leaving-${i}`, state: "terminating", title: "Being removed" });
    for (let i = rs.replicas.current; i < Math.max(rs.replicas.desired, target); i++)
      slots.push({ key: `pending-${i}`, state: "pending", title: "Not created yet" });
  }
  return slots;
}

const slotClass: Record<ReplicaSetRole, Record<SlotState, string>> = {
  new: {
    ready: "bg-emerald-500 ring-emerald-600/40 dark:bg-emerald-400 dark:ring-emerald-300/40",
    starting: "bg-emerald-500/10 ring-2 ring-emerald-500 animate-pulse dark:bg-emerald-400/10 dark:ring-emerald-400",
    stuck: "bg-red-500/15 ring-2 ring-red-500 dark:bg-red-400/15 dark:ring-red-400",
    terminating: "bg-zinc-300/60 ring-zinc-400/50 opacity-50 dark:bg-zinc-600/50",
    pending: "bg-transparent ring-transparent outline-1 -outline-offset-1 outline-dashed outline-zinc-300 dark:outline-zinc-600",
  },
  old: {
    ready: "bg-zinc-500 ring-zinc-600/40 dark:bg-zinc-400 dark:ring-zinc-300/40",
    starting: "bg-zinc-500/10 ring-2 ring-zinc-500 animate-pulse dark:ring-zinc-400",
    stuck: "bg-red-500/15 ring-2 ring-red-500 dark:bg-red-400/15 dark:ring-red-400",
    terminating: "bg-zinc-300 ring-zinc-400/40 opacity-40 bg-[repeating-linear-gradient(135deg,transparent_0_3px,rgb(0_0_0/0.18)_3px_5px)] dark:bg-zinc-600",
    pending: "bg-transparent ring-transparent outline-1 -outline-offset-1 outline-dashed outline-zinc-300 dark:outline-zinc-600",
  },
};

/**
 * The rolling update as a diagram: the new ReplicaSet filling and the old one draining, one square per pod.
 * Filled = ready, outlined = running but not ready, red = cannot start, faded = being removed, dashed = to come.
 */
export function RollingUpdateDiagram({ workload, rows }: { workload: WorkloadView; rows: ReplicaSetRow[] }) {
  if (!rows.length) {
    return <p className="text-[13px] text-zinc-500 dark:text-zinc-400">The cluster reported no ReplicaSets for this workload yet.</p>;
  }
  return (
    <div className="space-y-2.5">
      {rows.map((row) => {
        const rs = row.replicaSet;
        const target = row.role === "new" ? workload.replicas.desired : rs.replicas.desired;
        const slots = slotsOf(row, target);
        const shown = slots.slice(0, maxSlots);
        const ready = rs.replicas.ready;
        // The new ReplicaSet counts towards the workload's size; an old one towards what it still holds.
        const of = row.role === "new" ? Math.max(rs.replicas.desired, workload.replicas.desired) : Math.max(rs.replicas.desired, rs.replicas.current);
        const drained = row.role === "old" && rs.replicas.current === 0 && !row.pods.length;
        const summary =
          row.role === "new"
            ? `New ReplicaSet${rs.revision !== null ? `, revision ${rs.revision}` : ""}${row.version ? `, version ${row.version}` : ""}: ${ready} of ${of} pods ready`
            : drained
              ? `Old ReplicaSet${row.version ? ` ${row.version}` : ""}: drained, no pods left`
              : `Old ReplicaSet${row.version ? ` ${row.version}` : ""}: ${rs.replicas.current} pods left, ${ready} ready, scaling to ${rs.replicas.desired}`;
        return (
          <div key={rs.name} className="grid grid-cols-[auto_minmax(0,1fr)_auto] items-center gap-x-3 gap-y-1.5 sm:grid-cols-[11rem_minmax(0,1fr)_auto]">
            <div className="col-span-3 flex min-w-0 items-center gap-2 sm:col-span-1">
              <span
                className={cn(
                  "inline-flex w-9 shrink-0 justify-center rounded px-1 py-px text-[10px] font-semibold tracking-wide uppercase",
                  row.role === "new"
                    ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-500/15 dark:text-emerald-300"
                    : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400",
                )}
              >
                {row.role}
              </span>
              <span
                className="min-w-0 truncate font-mono text-[12px] text-zinc-800 dark:text-zinc-200"
                title={`${rs.name}${row.version ? ` · ${row.version}` : ""}`}
              >
                {row.version ?? rs.name}
              </span>
              {rs.revision !== null ? <span className="shrink-0 text-[11px] text-zinc-400 tabular-nums dark:text-zinc-500">rev {rs.revision}</span> : null}
            </div>
            <div role="img" aria-label={summary} className="col-span-2 flex min-h-6 flex-wrap items-center gap-1.5 sm:col-span-1">
              {shown.map((slot) => (
                <span
                  key={slot.key}
                  title={slot.title}
                  className={cn(
                    "size-5 rounded ring-1 ring-inset transition-all duration-500 starting:scale-50 starting:opacity-0 sm:size-6",
                    slotClass[row.role][slot.state],
                  )}
                />
              ))}
              {slots.length > shown.length ? <span className="text-[11px] text-zinc-500">+{slots.length - shown.length}</span> : null}
              {drained ? <span className="text-[12px] text-zinc-400 italic dark:text-zinc-500">drained</span> : null}
            </div>
            <div className="text-right font-mono text-[12px] text-zinc-700 tabular-nums dark:text-zinc-300" aria-hidden>
              {ready}/{of}
            </div>
          </div>
        );
      })}
      <DiagramLegend />
    </div>
  );
}

function DiagramLegend() {
  const item = (cls: string, label: string) => (
    <li className="inline-flex items-center gap-1.5">
      <span aria-hidden className={cn("size-2.5 rounded-[2px] ring-1 ring-inset", cls)} />
      {label}
    </li>
  );
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 pt-1 text-[11px] text-zinc-500 dark:text-zinc-400" aria-label="Legend">
      {item(slotClass.new.ready, "ready")}
      {item("bg-transparent ring-2 ring-emerald-500 dark:ring-emerald-400", "starting")}
      {item(slotClass.new.stuck, "cannot start")}
      {item("bg-zinc-300 opacity-50 ring-zinc-400/40 dark:bg-zinc-600", "terminating")}
      {item(slotClass.new.pending, "to come")}
    </ul>
  );
}
