import { DeployHistory } from "./deploy-history";
import { EnvironmentCard, type EnvironmentCardProps } from "./environment-card";
import { FreezeBanner } from "./freeze-banner";
import { ReleaseList } from "./release-list";
import type { FreezeView, ReleaseView, RolloutView } from "./types";

/** The Deploys tab of a service: what runs where and what waits, the history across environments, the releases. */
export function DeploysTab({
  service,
  environments,
  releases,
  history,
  freezes,
  can,
  connected,
}: {
  service: string;
  environments: Array<Pick<EnvironmentCardProps, "status" | "current" | "workload" | "freeze" | "approvalsRequired" | "ranWell" | "drift">>;
  releases: ReleaseView[];
  history: { items: RolloutView[]; nextCursor: string | null };
  freezes: FreezeView[];
  can: { request: boolean; operate: boolean };
  connected: boolean;
}) {
  const runningIn: Record<string, string[]> = {};
  for (const e of environments) {
    if (e.status.running) (runningIn[e.status.running.version] ??= []).push(e.status.environment);
  }
  return (
    <div className="space-y-5">
      <FreezeBanner freezes={freezes} />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        {environments.map((e) => {
          // The newest rollout there, when it failed and nothing replaced it yet: the card says so, not only the history.
          const latest = history.items.find((r) => r.environment === e.status.environment);
          const failed = latest?.state === "failed" && latest.id !== e.status.inFlight?.id ? latest : null;
          return <EnvironmentCard key={e.status.environment} service={service} releases={releases} can={can} connected={connected} failed={failed} {...e} />;
        })}
      </div>
      <DeployHistory service={service} environments={environments.map((e) => ({ name: e.status.environment, title: e.status.title }))} initial={history} />
      <ReleaseList releases={releases} runningIn={runningIn} />
    </div>
  );
}
