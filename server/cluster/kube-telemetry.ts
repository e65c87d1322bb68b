import "server-only";
import { measured, telemetry } from "../shared/telemetry";
import { httpStatusOf, isUnreachable } from "./cluster-errors";

/** Kubernetes verbs as RBAC names them (pods/log is a get). */
export type KubeVerb = "get" | "list" | "watch" | "patch";

const byStatus: Record<number, string> = {
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  410: "gone",
  422: "invalid",
  429: "throttled",
};

/** A failure's kind, from a small fixed set, so the outcome label stays bounded. */
export function kubeOutcome(error: unknown): string {
  const status = httpStatusOf(error);
  if (status !== null) return byStatus[status] ?? (status >= 500 ? "server_error" : "client_error");
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError") return "timeout";
  return isUnreachable(error) ? "unreachable" : "error";
}

/** One Kubernetes API call, counted by cluster, verb and outcome, and timed. */
export function kubeCall<T>(cluster: string, verb: KubeVerb, call: () => Promise<T>): Promise<T> {
  const t = telemetry();
  return measured(
    call,
    (outcome, seconds) => {
      t.kubeRequests.inc({ cluster, verb, outcome });
      t.kubeDuration.observe({ cluster, verb }, seconds);
    },
    kubeOutcome,
  );
}

/** A watch reopened: "expired" (client-node's idle timeout; routine), "gone" (410: listed again) or "failed". */
export function watchRestarted(cluster: string, resource: string, reason: "expired" | "gone" | "failed"): void {
  telemetry().watchRestarts.inc({ cluster, resource, reason });
}
