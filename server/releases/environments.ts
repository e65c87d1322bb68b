import "server-only";
import type { EnvironmentConfig } from "../shared/config-file";
import { NotFoundError } from "../shared/errors";

export type EnvironmentPolicy = {
  name: string;
  title: string;
  production: boolean;
  policy: "auto" | "checkpoint";
  approvalsDefault: number;
  approvalsByTier: Record<string, number>;
  autoRollback: boolean;
  checkpointTtlHours: number;
};

/** Without a config file: continuous delivery to staging, two approvals for tier-1 services in production. */
const defaults: EnvironmentConfig[] = [
  { name: "staging", title: "Staging", production: false, policy: "auto", autoRollback: false, checkpointTtlHours: 72 },
  {
    name: "production",
    title: "Production",
    production: true,
    policy: "checkpoint",
    approvals: { default: 1, byTier: { "1": 2 } },
    autoRollback: false,
    checkpointTtlHours: 72,
  },
];

/**
 * The environments in force: set by the composition root from the config file; staging + production without one.
 * On globalThis, as the database and the cluster registry are: the custom server and the Next.js bundles load this
 * module separately, and both must see what the composition root set.
 */
const key = Symbol.for("slipway.environments");
type Globals = typeof globalThis & { [key]?: EnvironmentPolicy[] };

export function environmentPolicies(): EnvironmentPolicy[] {
  return ((globalThis as Globals)[key] ??= policiesOf(defaults));
}

/** From slipway.config.yaml's environments. */
export function policiesOf(envs: EnvironmentConfig[]): EnvironmentPolicy[] {
  return envs.map((e) => ({
    name: e.name,
    title: e.title ?? e.name,
    production: e.production,
    // Nothing reaches production unattended, whatever the file says.
    policy: e.production ? "checkpoint" : (e.policy ?? "auto"),
    approvalsDefault: e.approvals?.default ?? 1,
    approvalsByTier: e.approvals?.byTier ?? {},
    autoRollback: e.autoRollback,
    checkpointTtlHours: e.checkpointTtlHours,
  }));
}

/** The composition root's (and tests') setter; undefined restores the defaults. */
export function setEnvironmentPolicies(policies: EnvironmentPolicy[] | undefined): void {
  (globalThis as Globals)[key] = policies ?? policiesOf(defaults);
}

export function environmentPolicy(name: string): EnvironmentPolicy {
  const policy = environmentPolicies().find((e) => e.name === name);
  if (!policy)
    throw new NotFoundError(
      `There is no environment named "${name}" (known: ${environmentPolicies()
        .map((e) => e.name)
        .join(", ")}).`,
    );
  return policy;
}

export function approvalsRequired(policy: EnvironmentPolicy, tier: number | null): number {
  if (policy.policy === "auto") return 0;
  return Math.max(1, tier !== null ? (policy.approvalsByTier[String(tier)] ?? policy.approvalsDefault) : policy.approvalsDefault);
}
