import "server-only";
import type { ListedVersion, ServiceVersions, EnvironmentHealth } from "./contract";
import type * as Listed from "./listed-versions";

/** What the Runtime tab and the catalogue list show about a service's workloads: declared in contract.ts. */
export type { ClusterRuntime, EnvironmentRuntime, EnvironmentVersion, RunningVersion, RunningVersions, ServiceRuntime, WorkloadRuntime } from "./contract";

/** listed-versions.ts still declares its own copies: these fail to compile the day they drift from the contract. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Agree<T extends true> = T;
type ListedVersionsAgree = Agree<
  Same<ListedVersion, Listed.ListedVersion> | Same<ServiceVersions, Listed.ServiceVersions> | Same<EnvironmentHealth, Listed.EnvironmentHealth>
>;
