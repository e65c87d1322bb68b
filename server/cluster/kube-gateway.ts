import "server-only";
import { AppsV1Api, CoreV1Api, CustomObjectsApi, Watch, type ConfigurationOptions, type KubeConfig } from "@kubernetes/client-node";
import type { ClusterConfig } from "../shared/config-file";
import { BadRequestError, ConflictError, ForbiddenError } from "../shared/errors";
import { logger } from "../shared/logger";
import { clusterFailure } from "./cluster-errors";
import type { ActingPerson, ActionOptions, ClusterGateway, ListScope, PodLogLine, PodLogOptions, PodRef, UndoResult, WatchEvent, WatchHandle } from "./gateway";
import { kubeConfigFor } from "./kube-config";
import { kubeCall, type KubeVerb } from "./kube-telemetry";
import { isDns1123Label, isDns1123Subdomain, isImageReference } from "./kube-names";
import {
  parseKubeObject,
  toWireForm,
  type KubeDeployment,
  type KubeObjectOf,
  type KubeReplicaSet,
  type KubeRollout,
  type WatchedResource,
} from "./kube-objects";
import { listResource, ROLLOUT_API, watchPath, type KubeApis } from "./kube-resources";
import { selectorFromSpec } from "./label-selector";
import { callOptions } from "./request-options";
import type { EventView, PodView, ReplicaSetView, WorkloadRef, WorkloadView } from "./types";
import { abortPatch, planUndo, pausePatch, promotePatches, restartPatch, retryPatch, setImagePatch, type Patch } from "./workload-patches";
import { compareEvents, toEventView, toPodView, toReplicaSetView, toWorkloadView } from "./workload-views";

/** The ClusterGateway over @kubernetes/client-node: typed API calls with a deadline, impersonation, typed errors. */

export type KubeGatewayOptions = {
  /** client-node's Watch aborts a stream after this long without data (30 s by default). */
  watchIdleTimeoutMs?: number;
};

type Workload = KubeDeployment | KubeRollout;

const MAX_TAIL_LINES = 10_000;

function wholeNumber(value: number | undefined, what: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > max) throw new BadRequestError(`${what} must be a whole number from 0 to ${max}`);
  return value;
}

/** Splits `timestamps=true` output ("<RFC 3339 nano> <line>") into lines; a line cut by limitBytes is kept as it is. */
function parseLogLines(text: string): PodLogLine[] {
  const lines: PodLogLine[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const space = line.indexOf(" ");
    const time = space > 0 ? line.slice(0, space) : "";
    if (/^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/.test(time)) lines.push({ time, text: line.slice(space + 1) });
    else lines.push({ time: "", text: line });
  }
  return lines;
}

export class KubeClusterGateway implements ClusterGateway {
  readonly name: string;
  readonly environment: string;
  readonly namespaces: readonly string[] | null;
  readonly timeoutSeconds: number;
  readonly impersonate: boolean;
  private readonly kc: KubeConfig;
  private readonly apis: KubeApis;

  constructor(
    config: ClusterConfig,
    private readonly options: KubeGatewayOptions = {},
  ) {
    this.name = config.name;
    this.environment = config.environment;
    this.namespaces = config.namespaces?.length ? [...config.namespaces] : null;
    this.timeoutSeconds = config.timeoutSeconds;
    this.impersonate = config.impersonate;
    this.kc = kubeConfigFor(config);
    this.apis = { apps: this.kc.makeApiClient(AppsV1Api), core: this.kc.makeApiClient(CoreV1Api), custom: this.kc.makeApiClient(CustomObjectsApi) };
  }

  // ---- calls ----

  private settings(as: ActingPerson | undefined, contentType?: string): ConfigurationOptions {
    return callOptions(this.kc, {
      timeoutMs: this.timeoutSeconds * 1000,
      ...(contentType ? { contentType } : {}),
      as: this.impersonate ? as : undefined,
    });
  }

  private async call<T>(verb: KubeVerb, fn: () => Promise<T>): Promise<T> {
    try {
      return await kubeCall(this.name, verb, fn);
    } catch (error) {
      throw clusterFailure(this, error);
    }
  }

  /** client-go's RetryOnConflict: re-read and try again when someone else wrote in between. */
  private async retryOnConflict<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= 3) throw error;
      }
    }
  }

  private checkNamespace(namespace: string): string {
    if (!isDns1123Label(namespace)) throw new BadRequestError(`"${namespace}" is not a valid namespace name`);
    if (this.namespaces && !this.namespaces.includes(namespace)) {
      throw new ForbiddenError(`Slipway is not configured to use namespace "${namespace}" in cluster ${this.name}`);
    }
    return namespace;
  }

  private checkRef(ref: WorkloadRef): WorkloadRef {
    if (ref.cluster !== this.name) throw new BadRequestError(`workload ${ref.name} is in cluster ${ref.cluster}, not ${this.name}`);
    if (ref.kind !== "Deployment" && ref.kind !== "Rollout") throw new BadRequestError(`unsupported workload kind "${String(ref.kind)}"`);
    if (!isDns1123Subdomain(ref.name)) throw new BadRequestError(`"${ref.name}" is not a valid workload name`);
    this.checkNamespace(ref.namespace);
    return ref;
  }

  /** The namespaces a scope covers: one, the configured ones, or all (null). */
  private namespacesOf(scope: ListScope | undefined): Array<string | null> {
    if (scope?.namespace) return [this.checkNamespace(scope.namespace)];
    return this.namespaces ? [...this.namespaces] : [null];
  }

  private async listRaw<R extends WatchedResource>(
    resource: R,
    namespace: string | null,
    scope: ListScope | undefined,
    as: ActingPerson | undefined,
  ): Promise<{ items: Array<KubeObjectOf<R>>; resourceVersion: string; absent: boolean }> {
    try {
      const list = await kubeCall(this.name, "list", () => listResource(this.apis, resource, namespace, scope?.selector?.text, this.settings(as)));
      const items: Array<KubeObjectOf<R>> = [];
      for (const raw of list.items ?? []) {
        const parsed = parseKubeObject(resource, resource === "rollouts" ? raw : toWireForm(raw));
        if (parsed) items.push(parsed);
        else logger().warn({ cluster: this.name, resource }, "skipped an object without the expected shape");
      }
      return { items, resourceVersion: list.metadata?.resourceVersion ?? "", absent: false };
    } catch (error) {
      // No Argo Rollouts CRD in this cluster: there are simply no Rollouts.
      if (resource === "rollouts" && (error as { code?: unknown }).code === 404) return { items: [], resourceVersion: "", absent: true };
      throw clusterFailure(this, error);
    }
  }

  private async listAll<R extends WatchedResource>(resource: R, scope: ListScope | undefined, as: ActingPerson | undefined): Promise<Array<KubeObjectOf<R>>> {
    const lists = await Promise.all(this.namespacesOf(scope).map((ns) => this.listRaw(resource, ns, scope, as)));
    return lists.flatMap((l) => l.items);
  }

  // ---- reads ----

  async listObjects<R extends WatchedResource>(
    resource: R,
    scope?: ListScope,
  ): Promise<{ items: Array<KubeObjectOf<R>>; resourceVersion: string; absent?: boolean }> {
    const namespace = scope?.namespace ? this.checkNamespace(scope.namespace) : null;
    return this.listRaw(resource, namespace, scope, undefined);
  }

  async watchObjects<R extends WatchedResource>(
    resource: R,
    scope: { namespace: string | null; resourceVersion: string },
    onEvent: (event: WatchEvent<R>) => void,
    onClose: (error: unknown) => void,
  ): Promise<WatchHandle> {
    if (scope.namespace !== null) this.checkNamespace(scope.namespace);
    const watch = new Watch(this.kc);
    if (this.options.watchIdleTimeoutMs) (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = this.options.watchIdleTimeoutMs;
    let closed = false;
    const controller = await kubeCall(this.name, "watch", () =>
      watch.watch(
        watchPath(resource, scope.namespace),
        { resourceVersion: scope.resourceVersion, allowWatchBookmarks: true },
        (type: string, object: unknown) => {
          if (closed) return;
          const o = (object ?? {}) as { metadata?: { resourceVersion?: string }; code?: unknown; message?: unknown };
          if (type === "BOOKMARK") onEvent({ type: "BOOKMARK", resourceVersion: o.metadata?.resourceVersion ?? "" });
          else if (type === "ERROR") onEvent({ type: "ERROR", code: typeof o.code === "number" ? o.code : null, message: String(o.message ?? "") });
          else if (type === "ADDED" || type === "MODIFIED" || type === "DELETED") {
            const parsed = parseKubeObject(resource, object);
            if (parsed) onEvent({ type, object: parsed });
          }
        },
        (error: unknown) => {
          if (closed) return;
          closed = true;
          onClose(error ?? null);
        },
      ),
    );
    return {
      stop() {
        closed = true;
        controller.abort();
      },
    };
  }

  async listWorkloads(scope?: ListScope, options?: ActionOptions): Promise<WorkloadView[]> {
    const [deployments, rollouts] = await Promise.all([this.listAll("deployments", scope, options?.as), this.listAll("rollouts", scope, options?.as)]);
    return [...deployments.map((d) => toWorkloadView(this.name, "Deployment", d)), ...rollouts.map((r) => toWorkloadView(this.name, "Rollout", r))];
  }

  async getWorkload(ref: WorkloadRef, options?: ActionOptions): Promise<WorkloadView> {
    return toWorkloadView(this.name, ref.kind, await this.read(this.checkRef(ref), options?.as));
  }

  async listReplicaSets(scope?: ListScope, options?: ActionOptions): Promise<ReplicaSetView[]> {
    return (await this.listAll("replicasets", scope, options?.as)).map(toReplicaSetView);
  }

  async listPods(scope?: ListScope, options?: ActionOptions): Promise<PodView[]> {
    return (await this.listAll("pods", scope, options?.as)).map(toPodView);
  }

  async listEvents(scope?: ListScope, options?: ActionOptions): Promise<EventView[]> {
    return (await this.listAll("events", scope, options?.as)).map(toEventView).sort(compareEvents);
  }

  async readPodLogs(ref: PodRef, options: PodLogOptions = {}): Promise<PodLogLine[]> {
    if (ref.cluster !== this.name) throw new BadRequestError(`pod ${ref.pod} is in cluster ${ref.cluster}, not ${this.name}`);
    this.checkNamespace(ref.namespace);
    if (!isDns1123Subdomain(ref.pod)) throw new BadRequestError(`"${ref.pod}" is not a valid pod name`);
    if (ref.container !== undefined && !isDns1123Label(ref.container)) throw new BadRequestError(`"${ref.container}" is not a valid container name`);
    const tailLines = wholeNumber(options.tailLines ?? 500, "tailLines", MAX_TAIL_LINES);
    const sinceSeconds = wholeNumber(options.sinceSeconds, "sinceSeconds", 366 * 24 * 3600);
    const limitBytes = wholeNumber(options.limitBytes ?? 1024 * 1024, "limitBytes", 16 * 1024 * 1024);
    const text = await this.call("get", () =>
      this.apis.core.readNamespacedPodLog(
        {
          name: ref.pod,
          namespace: ref.namespace,
          timestamps: true,
          ...(ref.container !== undefined ? { container: ref.container } : {}),
          ...(tailLines !== undefined ? { tailLines } : {}),
          ...(sinceSeconds ? { sinceSeconds } : {}),
          ...(limitBytes ? { limitBytes } : {}),
          ...(options.previous ? { previous: true } : {}),
        },
        this.settings(options.as),
      ),
    );
    return parseLogLines(typeof text === "string" ? text : String(text ?? ""));
  }

  private async read(ref: WorkloadRef, as: ActingPerson | undefined): Promise<Workload> {
    const raw = await this.call("get", () =>
      ref.kind === "Deployment"
        ? this.apis.apps.readNamespacedDeployment({ name: ref.name, namespace: ref.namespace }, this.settings(as)).then(toWireForm)
        : this.apis.custom.getNamespacedCustomObject({ ...ROLLOUT_API, namespace: ref.namespace, name: ref.name }, this.settings(as)),
    );
    return this.parseWorkload(ref, raw);
  }

  private parseWorkload(ref: WorkloadRef, raw: unknown): Workload {
    const parsed = ref.kind === "Deployment" ? parseKubeObject("deployments", raw) : parseKubeObject("rollouts", raw);
    if (!parsed) throw clusterFailure(this, new Error(`${ref.kind} ${ref.namespace}/${ref.name} does not have the expected shape`));
    return parsed;
  }

  // ---- actions ----

  private async apply(ref: WorkloadRef, patch: Patch, as: ActingPerson | undefined): Promise<Workload> {
    const options = this.settings(as, patch.contentType);
    const raw = await this.call("patch", async () => {
      if (ref.kind === "Deployment") {
        if (patch.subresource) throw new BadRequestError("Deployments take no status patches from Slipway");
        return toWireForm(await this.apis.apps.patchNamespacedDeployment({ name: ref.name, namespace: ref.namespace, body: patch.body }, options));
      }
      const params = { ...ROLLOUT_API, namespace: ref.namespace, name: ref.name, body: patch.body };
      return patch.subresource === "status"
        ? this.apis.custom.patchNamespacedCustomObjectStatus(params, options)
        : this.apis.custom.patchNamespacedCustomObject(params, options);
    });
    return this.parseWorkload(ref, raw);
  }

  private view(ref: WorkloadRef, workload: Workload): WorkloadView {
    return toWorkloadView(this.name, ref.kind, workload);
  }

  async setImage(ref: WorkloadRef, container: string, image: string, options?: ActionOptions): Promise<WorkloadView> {
    this.checkRef(ref);
    if (!isDns1123Label(container)) throw new BadRequestError(`"${container}" is not a valid container name`);
    if (!isImageReference(image)) throw new BadRequestError(`"${image}" is not a valid image reference`);
    return this.retryOnConflict(async () => {
      const current = await this.read(ref, options?.as);
      return this.view(ref, await this.apply(ref, setImagePatch(ref.kind, current, container, image), options?.as));
    });
  }

  async restart(ref: WorkloadRef, options?: ActionOptions): Promise<WorkloadView> {
    this.checkRef(ref);
    const current = await this.read(ref, options?.as);
    return this.view(ref, await this.apply(ref, restartPatch(ref.kind, current, new Date()), options?.as));
  }

  async setPaused(ref: WorkloadRef, paused: boolean, options?: ActionOptions): Promise<WorkloadView> {
    this.checkRef(ref);
    return this.view(ref, await this.apply(ref, pausePatch(paused), options?.as));
  }

  async undo(ref: WorkloadRef, toRevision?: number, options?: ActionOptions): Promise<UndoResult> {
    this.checkRef(ref);
    const current = await this.read(ref, options?.as);
    const selector = selectorFromSpec(current.spec.selector);
    const replicaSets: KubeReplicaSet[] = (await this.listRaw("replicasets", ref.namespace, { selector }, options?.as)).items;
    const plan = planUndo(ref.kind, current, replicaSets, toRevision);
    if (plan.skip) return { workload: this.view(ref, current), toRevision: plan.revision, message: plan.message, skipped: true };
    const updated = await this.apply(ref, plan.patch, options?.as);
    return { workload: this.view(ref, updated), toRevision: plan.revision, message: plan.message, skipped: false };
  }

  private rolloutOnly(ref: WorkloadRef, verb: string): void {
    this.checkRef(ref);
    if (ref.kind !== "Rollout") throw new BadRequestError(`${verb} applies to Argo Rollouts; ${ref.name} is a ${ref.kind}`);
  }

  async promote(ref: WorkloadRef, promotion: { full: boolean }, options?: ActionOptions): Promise<WorkloadView> {
    this.rolloutOnly(ref, "promote");
    const current = (await this.read(ref, options?.as)) as KubeRollout;
    let latest: Workload = current;
    for (const patch of promotePatches(current, promotion.full)) latest = await this.apply(ref, patch, options?.as);
    return this.view(ref, latest);
  }

  async abort(ref: WorkloadRef, options?: ActionOptions): Promise<WorkloadView> {
    this.rolloutOnly(ref, "abort");
    return this.view(ref, await this.apply(ref, abortPatch(), options?.as));
  }

  async retry(ref: WorkloadRef, options?: ActionOptions): Promise<WorkloadView> {
    this.rolloutOnly(ref, "retry");
    return this.view(ref, await this.apply(ref, retryPatch(), options?.as));
  }
}
