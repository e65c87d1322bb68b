import "server-only";
import { config } from "../shared/config";
import { loadSlipwayConfigFile, type EnvironmentConfig } from "../shared/config-file";
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

let cached: EnvironmentPolicy[] | undefined;

export function environmentPolicies(): EnvironmentPolicy[] {
  if (cached) return cached;
  const file = process.env.SLIPWAY_CONFIG;
  const envs = file ? loadSlipwayConfigFile(file).environments : defaults;
  cached = envs.map((e) => ({
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
  void config;
  return cached;
}

export function setEnvironmentPolicies(policies: EnvironmentPolicy[] | undefined): void {
  cached = policies;
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
