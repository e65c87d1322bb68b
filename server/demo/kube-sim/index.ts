import "server-only";

/** Public surface of the Kubernetes API simulator. */
export { startKubeSim } from "./simulator";
export type { KubeSim, KubeSimOptions, RequestFailure, SeedWorkload } from "./simulator";
export type { SimClockControl, ClockMode } from "./clock";
export type { ImageBehaviour, RbacRule, RbacSubject, UserIdentity } from "./types";
