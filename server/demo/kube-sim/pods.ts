import "server-only";
import { formatTime, parseTime } from "./clock";
import type { EventRecorder } from "./events";
import { fnv32a } from "./hash";
import { deepClone, deepEqual } from "./json";
import { linesOf, type ContainerRun, type LogLine } from "./pod-logs";
import type { SeededRandom } from "./random";
import type { Registry } from "./registry";
import { NODES, PODS, REPLICASETS } from "./resources";
import type { Store } from "./store";
import type { Condition, ContainerState, ContainerStatus, ImageBehaviour, Pod, StoredObject } from "./types";

/**
 * The scheduler and the kubelets: binds pods to nodes, "pulls" and starts containers after a delay, reports
 * readiness, crash loops with the kubelet's back-off (10s doubling to 5m) and failing readiness probes, and
 * finishes graceful deletion. Pod status is rebuilt from this per-pod runtime state on every pass.
 */

export interface PodTimings {
  /** From creation to Ready. */
  readyDelayMs: number;
  /** From creation to the containers running. */
  startDelayMs: number;
  /** How long a crash-looping container runs before it exits. */
  crashAfterMs: number;
  /** How long a deleted pod stays Terminating. */
  terminationDelayMs: number;
}

interface ContainerRuntime {
  name: string;
  image: string;
  state: "creating" | "running" | "terminated" | "backoff";
  runningSince?: number;
  readySince?: number;
  /** When the current run crashes (crashloop). */
  crashAt?: number;
  /** When a terminated / backing-off container starts again. */
  restartAt?: number;
  backoffMs: number;
  restartCount: number;
  containerId?: string;
  lastTerminated?: TerminatedRun;
  /** The run before lastTerminated, for `previous=true` while the container waits to restart. */
  earlierTerminated?: TerminatedRun;
  nextProbeAt?: number;
}

interface TerminatedRun {
  startedAt: number;
  finishedAt: number;
  containerId: string;
}

interface LogFollower {
  podUid: string;
  containerId: string;
  /** Simulated time of the last line sent. */
  sentUntil: number;
  write: (lines: LogLine[]) => void;
  end: () => void;
}

interface PodRuntime {
  uid: string;
  createdAt: number;
  scheduledAt?: number;
  startAt?: number;
  readyOffsetMs: number;
  initialized: boolean;
  containers: ContainerRuntime[];
  podIp?: string;
  hostIp?: string;
  ready: boolean;
  readyChangedAt: number;
  scheduledChangedAt?: number;
  terminatingSince?: number;
  /** Started as if long running (seeded workloads). */
  instant: boolean;
  /** What the last status write was computed from, to skip recomputing an unchanged pod. */
  writtenFor?: string;
}

const BACKOFF_START_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
const PROBE_PERIOD_MS = 10_000;

export class Kubelet {
  private readonly runtimes = new Map<string, PodRuntime>();
  private readonly followers = new Set<LogFollower>();
  private nextNode = 0;
  private nextIp = 2;
  /** Set while seeding: pods created now start already running and ready. */
  instantStart = false;

  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    private readonly events: EventRecorder,
    private readonly random: SeededRandom,
    private readonly timings: PodTimings,
    private readonly behaviourOf: (image: string) => ImageBehaviour,
    private readonly wakeAt: (at: number) => void,
  ) {}

  reconcile(now: number): void {
    const live = new Set<string>();
    for (const pod of this.store.list<Pod>(PODS)) {
      live.add(pod.metadata.uid);
      this.reconcilePod(pod, now);
    }
    for (const uid of this.runtimes.keys()) if (!live.has(uid)) this.runtimes.delete(uid);
  }

  /**
   * The container run the pods/log subresource reads, as the kubelet picks it: the running container (or, while it
   * waits to restart, the one that just exited); with `previous`, the one before. A string is the kubelet's refusal.
   */
  logRun(pod: Pod, containerName: string, previous: boolean): ContainerRun | string {
    const c = this.runtimes.get(pod.metadata.uid)?.containers.find((x) => x.name === containerName);
    const notFound = `previous terminated container "${containerName}" in pod "${pod.metadata.name}" not found`;
    if (!c || c.state === "creating")
      return previous ? notFound : `container "${containerName}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`;
    const behaviour = this.behaviourOf(c.image);
    const ended = (t: TerminatedRun): ContainerRun => ({ ...t, name: c.name, image: c.image, behaviour, crashed: true });
    if (c.state === "running") {
      if (previous) return c.lastTerminated ? ended(c.lastTerminated) : notFound;
      return { containerId: c.containerId ?? "", name: c.name, image: c.image, behaviour, startedAt: c.runningSince ?? 0, crashed: false };
    }
    if (previous) return c.earlierTerminated ? ended(c.earlierTerminated) : notFound;
    return c.lastTerminated ? ended(c.lastTerminated) : notFound;
  }

  /** The run with this container id, whether it still runs or has ended; undefined once the pod is gone. */
  private runById(podUid: string, containerId: string): ContainerRun | undefined {
    for (const c of this.runtimes.get(podUid)?.containers ?? []) {
      const behaviour = this.behaviourOf(c.image);
      if (c.containerId === containerId && c.state === "running") {
        return { containerId, name: c.name, image: c.image, behaviour, startedAt: c.runningSince ?? 0, crashed: false };
      }
      const t = [c.lastTerminated, c.earlierTerminated].find((x) => x?.containerId === containerId);
      if (t) return { ...t, name: c.name, image: c.image, behaviour, crashed: true };
    }
    return undefined;
  }

  /** `follow=true`: keeps writing the run's new lines as simulated time passes, and ends when the run does. */
  follow(pod: Pod, run: ContainerRun, sentUntil: number, write: (lines: LogLine[]) => void, end: () => void): () => void {
    const follower: LogFollower = { podUid: pod.metadata.uid, containerId: run.containerId, sentUntil, write, end };
    this.followers.add(follower);
    return () => this.followers.delete(follower);
  }

  /** Hands each follower the lines written since its last tick. */
  tickLogs(now: number): void {
    for (const f of [...this.followers]) {
      const run = this.runById(f.podUid, f.containerId);
      const fresh = run ? linesOf(run, now).filter((l) => l.at > f.sentUntil) : [];
      if (fresh.length > 0) {
        f.write(fresh);
        f.sentUntil = fresh[fresh.length - 1]!.at;
      }
      if (!run || run.finishedAt !== undefined) {
        this.followers.delete(f);
        f.end();
      }
    }
  }

  private runtimeFor(pod: Pod, now: number): PodRuntime {
    let rt = this.runtimes.get(pod.metadata.uid);
    if (rt) return rt;
    const created = parseTime(pod.metadata.creationTimestamp) ?? now;
    rt = {
      uid: pod.metadata.uid,
      createdAt: Math.max(created, now - 1000),
      readyOffsetMs: 0,
      initialized: false,
      containers: pod.spec.containers.map((c) => ({
        name: c.name,
        image: String(c.image ?? ""),
        state: "creating",
        backoffMs: 0,
        restartCount: 0,
      })),
      ready: false,
      readyChangedAt: now,
      instant: this.instantStart,
    };
    if (rt.instant) {
      const minReady = this.minReadySecondsOf(pod);
      rt.readyOffsetMs = (minReady + 1) * 1000;
    }
    this.runtimes.set(pod.metadata.uid, rt);
    return rt;
  }

  private minReadySecondsOf(pod: Pod): number {
    const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
    if (!owner) return 0;
    const rs = this.store.get(REPLICASETS, pod.metadata.namespace, owner.name) as (StoredObject & { spec?: { minReadySeconds?: number } }) | undefined;
    return rs?.spec?.minReadySeconds ?? 0;
  }

  private reconcilePod(pod: Pod, now: number): void {
    const rt = this.runtimeFor(pod, now);
    if (pod.metadata.deletionTimestamp) {
      this.terminate(pod, rt, now);
      return;
    }
    if (!pod.spec.nodeName) {
      pod = this.schedule(pod, rt, now);
    }
    if (rt.scheduledAt === undefined) rt.scheduledAt = now;
    if (!rt.initialized) {
      rt.initialized = true;
      rt.startAt = rt.instant ? now : rt.scheduledAt + this.timings.startDelayMs;
      rt.podIp = `10.244.${this.nodeIndex(pod.spec.nodeName)}.${(this.nextIp++ % 250) + 2}`;
      rt.hostIp = this.hostIp(pod.spec.nodeName);
      for (const c of pod.spec.containers) {
        if (!rt.instant) this.events.normal(pod, "Pulling", `Pulling image "${c.image}"`, this.kubeletSource(pod), `spec.containers{${c.name}}`);
      }
    }
    if (rt.startAt !== undefined && now < rt.startAt) this.wakeAt(rt.startAt);
    for (const c of rt.containers) this.stepContainer(pod, rt, c, now);
    const allReady = rt.containers.every((c) => c.readySince !== undefined);
    if (allReady !== rt.ready) {
      rt.ready = allReady;
      rt.readyChangedAt = allReady ? Math.max(...rt.containers.map((c) => c.readySince ?? now)) - rt.readyOffsetMs : now;
    }
    this.writeStatus(pod, rt, now);
    rt.instant = false;
    rt.readyOffsetMs = 0;
  }

  private stepContainer(pod: Pod, rt: PodRuntime, c: ContainerRuntime, now: number): void {
    const behaviour = this.behaviourOf(c.image);
    const spec = pod.spec.containers.find((x) => x.name === c.name);
    const field = `spec.containers{${c.name}}`;
    const source = this.kubeletSource(pod);
    if (c.state === "creating") {
      if (rt.startAt === undefined || now < rt.startAt) return;
      if (!rt.instant) {
        const pullMs = Math.max(1, this.timings.startDelayMs - 100);
        this.events.normal(
          pod,
          "Pulled",
          `Successfully pulled image "${c.image}" in ${pullMs}ms (${pullMs}ms including waiting). Image size: ${12_000_000 + (fnv32a(c.image) % 90_000_000)} bytes.`,
          source,
          field,
        );
      }
      this.start(pod, rt, c, rt.startAt, now, behaviour);
      return;
    }
    if (c.state === "running") {
      if (behaviour === "crashloop" && c.crashAt === undefined) c.crashAt = now + this.timings.crashAfterMs;
      if (behaviour !== "crashloop") c.crashAt = undefined;
      if (c.crashAt !== undefined && now >= c.crashAt) {
        this.crash(pod, c, now);
        return;
      }
      if (c.crashAt !== undefined) this.wakeAt(c.crashAt);
      const readyAt = (c.runningSince ?? now) + Math.max(0, this.timings.readyDelayMs - this.timings.startDelayMs);
      if (behaviour === "ok") {
        c.nextProbeAt = undefined;
        if (c.readySince === undefined) {
          if (rt.instant || now >= readyAt) c.readySince = rt.instant ? now : Math.max(readyAt, now - 1);
          else this.wakeAt(readyAt);
        }
      } else {
        c.readySince = undefined;
        if (behaviour === "never-ready") {
          const first = Math.max(readyAt, c.runningSince ?? now);
          if (c.nextProbeAt === undefined) c.nextProbeAt = first;
          if (now >= c.nextProbeAt) {
            this.events.warning(pod, "Unhealthy", `Readiness probe failed: ${probeFailure(spec?.readinessProbe, rt.podIp)}`, source, field);
            c.nextProbeAt = now + probePeriodMs(spec?.readinessProbe);
          }
          this.wakeAt(c.nextProbeAt);
        }
      }
      return;
    }
    if (c.state === "terminated" || c.state === "backoff") {
      if (c.restartAt !== undefined && now >= c.restartAt) {
        c.restartCount += 1;
        this.start(pod, rt, c, now, now, behaviour);
      } else if (c.restartAt !== undefined) this.wakeAt(c.restartAt);
    }
  }

  private start(pod: Pod, rt: PodRuntime, c: ContainerRuntime, at: number, now: number, behaviour: ImageBehaviour): void {
    const field = `spec.containers{${c.name}}`;
    const source = this.kubeletSource(pod);
    c.state = "running";
    c.runningSince = rt.instant && c.restartCount === 0 ? now - rt.readyOffsetMs : at;
    c.containerId = `containerd://${this.random.hex(64)}`;
    c.readySince = undefined;
    c.crashAt = behaviour === "crashloop" ? now + this.timings.crashAfterMs : undefined;
    c.restartAt = undefined;
    if (!rt.instant || c.restartCount > 0) {
      this.events.normal(pod, "Created", `Created container ${c.name}`, source, field);
      this.events.normal(pod, "Started", `Started container ${c.name}`, source, field);
    }
    this.stepContainer(pod, rt, c, now);
  }

  private crash(pod: Pod, c: ContainerRuntime, now: number): void {
    c.earlierTerminated = c.lastTerminated;
    c.lastTerminated = { startedAt: c.runningSince ?? now, finishedAt: now, containerId: c.containerId ?? "" };
    c.readySince = undefined;
    c.crashAt = undefined;
    if (c.backoffMs === 0) {
      // The first failure restarts at once; from then on the kubelet backs off 10s, 20s, 40s ... 5m.
      c.state = "terminated";
      c.restartAt = now + 1000;
      c.backoffMs = BACKOFF_START_MS;
    } else {
      c.state = "backoff";
      c.restartAt = now + c.backoffMs;
      this.events.warning(
        pod,
        "BackOff",
        `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
        this.kubeletSource(pod),
        `spec.containers{${c.name}}`,
      );
      c.backoffMs = Math.min(BACKOFF_MAX_MS, c.backoffMs * 2);
    }
    this.wakeAt(c.restartAt);
  }

  private schedule(pod: Pod, rt: PodRuntime, now: number): Pod {
    const nodes = this.store.list(NODES);
    const node = nodes.length ? nodes[this.nextNode++ % nodes.length]?.metadata.name : undefined;
    if (!node) return pod;
    const next = deepClone(pod);
    next.spec.nodeName = node;
    next.status = { ...(next.status ?? {}), conditions: [{ type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: formatTime(now) }] };
    rt.scheduledAt = now;
    rt.scheduledChangedAt = now;
    const bound = this.registry.controllerWrite<Pod>(PODS, next, "spec");
    const withStatus = deepClone(bound);
    withStatus.status = next.status;
    const stored = this.registry.controllerWrite<Pod>(PODS, withStatus, "status");
    this.events.normal(stored, "Scheduled", `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`, {
      component: "default-scheduler",
    });
    return stored;
  }

  private terminate(pod: Pod, rt: PodRuntime, now: number): void {
    if (rt.terminatingSince === undefined) {
      rt.terminatingSince = now;
      for (const c of rt.containers) {
        if (c.state === "running") this.events.normal(pod, "Killing", `Stopping container ${c.name}`, this.kubeletSource(pod), `spec.containers{${c.name}}`);
        c.readySince = undefined;
      }
      rt.ready = false;
      rt.readyChangedAt = now;
      this.writeStatus(pod, rt, now);
    }
    const deadline = parseTime(pod.metadata.deletionTimestamp) ?? now;
    const removeAt = Math.min(deadline, rt.terminatingSince + this.timings.terminationDelayMs);
    if (now >= removeAt) {
      this.registry.controllerRemove(PODS, pod.metadata.namespace, pod.metadata.name);
      this.runtimes.delete(pod.metadata.uid);
    } else this.wakeAt(removeAt);
  }

  private writeStatus(pod: Pod, rt: PodRuntime, now: number): void {
    const signature = `${pod.metadata.resourceVersion}|${rt.ready}|${rt.readyChangedAt}|${rt.scheduledAt}|${rt.containers
      .map((c) => `${c.state}:${c.readySince ?? ""}:${c.restartCount}:${c.runningSince ?? ""}:${c.backoffMs}`)
      .join(",")}`;
    if (rt.writtenFor === signature) return;
    const running = rt.containers.some((c) => c.state !== "creating");
    const conditions: Condition[] = [];
    const t = (ms: number | undefined) => formatTime(ms ?? now);
    const notReady = rt.containers.filter((c) => c.readySince === undefined).map((c) => c.name);
    const readyCondition = (type: string): Condition =>
      rt.ready
        ? { type, status: "True", lastProbeTime: null, lastTransitionTime: t(rt.readyChangedAt) }
        : {
            type,
            status: "False",
            lastProbeTime: null,
            lastTransitionTime: t(rt.readyChangedAt),
            reason: "ContainersNotReady",
            message: `containers with unready status: [${notReady.join(" ")}]`,
          };
    conditions.push({ type: "PodReadyToStartContainers", status: "True", lastProbeTime: null, lastTransitionTime: t(rt.scheduledAt) });
    conditions.push({ type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: t(rt.scheduledAt) });
    conditions.push(readyCondition("Ready"));
    conditions.push(readyCondition("ContainersReady"));
    conditions.push({ type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: t(rt.scheduledChangedAt ?? rt.scheduledAt) });
    const containerStatuses: ContainerStatus[] = rt.containers.map((c) => this.containerStatus(pod, c));
    const status: NonNullable<Pod["status"]> = {
      ...(pod.status ?? {}),
      phase: running ? "Running" : "Pending",
      conditions,
      hostIP: rt.hostIp,
      hostIPs: rt.hostIp ? [{ ip: rt.hostIp }] : undefined,
      podIP: rt.podIp,
      podIPs: rt.podIp ? [{ ip: rt.podIp }] : undefined,
      startTime: t(rt.scheduledAt),
      containerStatuses,
    };
    const cleaned = deepClone(status);
    if (deepEqual(cleaned, pod.status)) {
      rt.writtenFor = signature;
      return;
    }
    const next = deepClone(pod);
    next.status = cleaned;
    const stored = this.registry.controllerWrite(PODS, next, "status");
    rt.writtenFor = signature.replace(/^[^|]*/, stored.metadata.resourceVersion);
  }

  private containerStatus(pod: Pod, c: ContainerRuntime): ContainerStatus {
    let state: ContainerState;
    const startedAt = formatTime(c.runningSince ?? 0);
    if (c.state === "creating") state = { waiting: { reason: "ContainerCreating" } };
    else if (c.state === "running") state = { running: { startedAt } };
    else if (c.state === "backoff") {
      state = {
        waiting: {
          reason: "CrashLoopBackOff",
          message: `back-off ${Math.round(Math.min(BACKOFF_MAX_MS, c.backoffMs / 2) / 1000)}s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
        },
      };
    } else {
      state = {
        terminated: {
          exitCode: 1,
          reason: "Error",
          startedAt: formatTime(c.lastTerminated?.startedAt ?? 0),
          finishedAt: formatTime(c.lastTerminated?.finishedAt ?? 0),
          containerID: c.lastTerminated?.containerId,
        },
      };
    }
    const lastState: ContainerState = c.lastTerminated
      ? {
          terminated: {
            exitCode: 1,
            reason: "Error",
            startedAt: formatTime(c.lastTerminated.startedAt),
            finishedAt: formatTime(c.lastTerminated.finishedAt),
            containerID: c.lastTerminated.containerId,
          },
        }
      : {};
    const digest = `${fnv32a(c.image).toString(16).padStart(8, "0")}`.repeat(8);
    const repo = c.image.split("@")[0]?.replace(/:[^/:]+$/, "") ?? c.image;
    return {
      name: c.name,
      image: c.image,
      imageID: `${repo.includes("/") ? repo : `docker.io/library/${repo}`}@sha256:${digest}`,
      ...(c.state !== "creating" && c.containerId ? { containerID: c.state === "running" ? c.containerId : c.lastTerminated?.containerId } : {}),
      ready: c.readySince !== undefined,
      started: c.state === "running",
      restartCount: c.restartCount,
      state,
      lastState,
    };
  }

  private kubeletSource(pod: Pod): { component: string; host?: string } {
    return { component: "kubelet", ...(pod.spec.nodeName ? { host: pod.spec.nodeName } : {}) };
  }

  private nodeIndex(name: string | undefined): number {
    const nodes = this.store.list(NODES).map((n) => n.metadata.name);
    const i = name ? nodes.indexOf(name) : -1;
    return i < 0 ? 0 : i + 1;
  }

  private hostIp(name: string | undefined): string {
    return `10.0.0.${10 + this.nodeIndex(name)}`;
  }
}

function probePeriodMs(probe: Record<string, unknown> | undefined): number {
  const p = probe?.periodSeconds;
  return typeof p === "number" && p > 0 ? p * 1000 : PROBE_PERIOD_MS;
}

function probeFailure(probe: Record<string, unknown> | undefined, podIp: string | undefined): string {
  const tcp = probe?.tcpSocket as { port?: unknown } | undefined;
  if (tcp) return `dial tcp ${podIp ?? "10.244.0.2"}:${String(tcp.port ?? 8080)}: connect: connection refused`;
  if (probe?.exec) return "command exited with non-zero status 1";
  return "HTTP probe failed with statuscode: 503";
}
