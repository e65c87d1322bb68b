import { slipway } from "@/server/composition";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { releasesThatRanWell } from "@/components/releases/rollback-choices";
import { RolloutScreen } from "@/components/releases/rollout-screen";
import { currentPrincipal, decide, requirePagePrincipal } from "@/server/identity";
import {
  listRollouts,
  checkpointEvidence,
  checkpointInbox,
  deployStatus,
  eligibleApprovers,
  environmentPolicies,
  getRollout,
  type RolloutView,
} from "@/server/releases";
import { hasStatus } from "@/server/shared/errors";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

async function load(id: string): Promise<RolloutView> {
  try {
    return await getRollout(slipway().db, id);
  } catch (error) {
    if (hasStatus(error, 404)) notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id } = await params;
  // The title is sent before the page's own check redirects: only a signed-in person may learn service and version.
  if (!(await currentPrincipal())) return { title: "Rollout" };
  const rollout = await getRollout(slipway().db, id).catch(() => null);
  return { title: rollout ? `${rollout.service} ${rollout.release.version} → ${rollout.environment}` : "Rollout" };
}

export default async function RolloutPage({ params }: Params) {
  const { id } = await params;
  const principal = await requirePagePrincipal(`/rollouts/${id}`);
  const rollout = await load(id);
  const db = slipway().db;

  const open = rollout.checkpoints.find((c) => c.state === "awaiting_approval") ?? null;
  const [evidence, status, inbox, approvers, ranHere] = await Promise.all([
    checkpointEvidence(db, id, slipway().metrics?.metrics).catch(() => null),
    deployStatus(db, rollout.service).catch(() => null),
    open ? checkpointInbox(db, principal) : Promise.resolve([]),
    // Who may still approve: the requester's page says whom to ask.
    open ? eligibleApprovers(db, id) : Promise.resolve([]),
    // What a rollback may return to: what ran well in this environment, newest first.
    listRollouts(db, { service: rollout.service, environment: rollout.environment, state: ["succeeded", "rolled_back"], limit: 100 }),
  ]);
  const mine = inbox.find((item) => item.id === rollout.id);
  // The view does not link a rolled-back rollout to its rollback; the rollback is the first one after it that left its release.
  const rolledBackBy =
    rollout.state === "rolled_back"
      ? ((await listRollouts(db, { service: rollout.service, environment: rollout.environment, state: [], limit: 100 })).items
          .filter((r) => r.kind === "rollback" && r.previousRelease?.id === rollout.release.id && r.createdAt >= rollout.createdAt)
          .at(-1) ?? null)
      : null;

  const person = principal.person;
  const mayRequest = decide(principal, { action: "rollout.request", team: rollout.team }).allowed;
  const mayOperate = decide(principal, { action: "rollout.operate", team: rollout.team }).allowed;
  const environment = status?.environments.find((e) => e.environment === rollout.environment);

  return (
    <RolloutScreen
      initial={rollout}
      evidence={evidence}
      runningSince={environment?.running && environment.running.id === evidence?.running?.id ? environment.since : null}
      releases={releasesThatRanWell(ranHere.items)}
      approvers={approvers.map((a) => a.displayName ?? a.name)}
      rolledBackBy={rolledBackBy ? { id: rolledBackBy.id, version: rolledBackBy.release.version, by: rolledBackBy.requestedBy } : null}
      firstEnvironment={environmentPolicies()[0]?.name === rollout.environment}
      runningNow={Object.fromEntries(
        (status?.environments ?? []).map((e) => [e.environment, e.running ? { version: e.running.version, since: e.since } : undefined]),
      )}
      decision={open && mine ? { checkpointId: open.id, canDecide: mine.canDecide, whyNot: mine.whyNot } : null}
      can={{
        cancel: mayRequest && (rollout.requestedBy === person.name || person.roles.includes("admin")),
        rollback: mayOperate,
        operate: mayOperate,
      }}
      connected={slipway().releases?.backend !== undefined}
    />
  );
}
