import { slipway } from "@/server/composition";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DeploysTab } from "@/components/releases/deploys-tab";
import { environmentDrift } from "@/components/releases/drift";
import { releasesThatRanWell } from "@/components/releases/rollback-choices";
import { loadService } from "@/components/catalogue/load-service";
import { getServiceRuntime } from "@/server/cluster";
import { decide, requirePagePrincipal } from "@/server/identity";
import { approvalsRequired, deployStatus, environmentPolicies, freezeInForce, listFreezes, listRollouts, type RolloutView } from "@/server/releases";
import { hasStatus } from "@/server/shared/errors";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { name } = await params;
  return { title: `Deploys · ${name}` };
}

export default async function DeploysPage({ params }: Params) {
  const { name } = await params;
  const principal = await requirePagePrincipal(`/services/${encodeURIComponent(name)}/deploys`);
  const db = slipway().db;
  const service = await loadService("component", name);
  if (!service) notFound();

  const status = await deployStatus(db, name).catch((error: unknown) => {
    if (hasStatus(error, 404)) notFound();
    throw error;
  });
  const backend = slipway().releases?.backend;
  const team = service.team?.name ?? null;
  const [history, freezes, live] = await Promise.all([
    listRollouts(db, { service: name, state: [], limit: 50 }),
    listFreezes(db),
    // What the clusters run now (one read of the shared watch caches): the workload kind and whether it is paused
    // decide which actions make sense.
    backend ? getServiceRuntime({ name: service.name, annotations: service.annotations, team: service.team }).catch(() => null) : null,
  ]);
  const policies = environmentPolicies();

  const environments = await Promise.all(
    status.environments.map(async (env) => {
      // The rollout that put what runs there: the last success (what "Roll back to previous" undoes).
      const current: RolloutView | null = env.running
        ? ((await listRollouts(db, { service: name, environment: env.environment, state: ["succeeded"], limit: 1 })).items[0] ?? null)
        : null;
      // What a rollback may return to: what ran well here, newest first (the server refuses anything else).
      const ranHere = await listRollouts(db, { service: name, environment: env.environment, state: ["succeeded", "rolled_back"], limit: 100 });
      const liveClusters = live?.environments.find((e) => e.name === env.environment)?.clusters ?? null;
      const observed = liveClusters?.flatMap((c) => c.workloads)[0]?.workload;
      // Without a cluster answer, the kind Slipway recorded when it last rolled out there.
      const recordedKind = [env.inFlight, current].find((r) => r && r.targets.length)?.targets[0]?.workloadKind as "Deployment" | "Rollout" | undefined;
      const workload = observed ? { kind: observed.kind, paused: observed.paused } : { kind: recordedKind ?? null, paused: null };
      const policy = policies.find((p) => p.name === env.environment);
      const freeze = freezeInForce(freezes, name, env.environment);
      return {
        status: env,
        current,
        ranWell: releasesThatRanWell(ranHere.items),
        // The clusters and the deploy history answer "what runs here" separately: say so when they disagree.
        drift: liveClusters ? environmentDrift(env.running, liveClusters, env.inFlight !== null) : null,
        workload,
        freeze,
        approvalsRequired: policy ? approvalsRequired(policy, service.tier ?? null) : null,
      };
    }),
  );

  return (
    <DeploysTab
      service={name}
      environments={environments}
      releases={status.releases}
      history={history}
      freezes={freezes.filter((f) => f.service === null || f.service === name)}
      can={{
        request: decide(principal, { action: "rollout.request", team }).allowed,
        operate: decide(principal, { action: "rollout.operate", team }).allowed,
      }}
      connected={backend !== undefined}
    />
  );
}
