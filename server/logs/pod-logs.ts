import "server-only";
import type { ActingPerson, ClusterGateway } from "../cluster";
import { isAppError, ValidationError } from "../shared/errors";
import type { LogLine, LogsProblem, PodLogs } from "./contract";
import { detectLevel } from "./level";
import { normaliseTimestamp } from "./map-hit";

/**
 * Logs straight from the pods, through the cluster gateway (`pods/{name}/log`, as the signed-in person when the
 * cluster impersonates): what a crash-looping container died of, even where no log store is configured.
 */

export type PodLogReader = Pick<ClusterGateway, "readPodLogs">;

export type PodLogsInput = {
  cluster: string;
  namespace: string;
  pod: string;
  container?: string | undefined;
  /** The last terminated container's output. */
  previous?: boolean | undefined;
  tailLines?: number | undefined;
  as?: ActingPerson | undefined;
};

const MAX_POD_TAIL_LINES = 5000;
const LEVEL_FIELDS = ["level", "severity", "lvl"];

function flatten(value: unknown, prefix: string, out: Record<string, string | number | boolean | null>): void {
  if (Object.keys(out).length >= 100) return;
  if (value === null || typeof value === "number" || typeof value === "boolean") out[prefix] = value;
  else if (typeof value === "string") out[prefix] = value.slice(0, 2048);
  else if (Array.isArray(value)) out[prefix] = JSON.stringify(value).slice(0, 2048);
  else if (typeof value === "object") for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
}

/** A line as the kubelet returned it, in the same shape as a line from the log store. */
export function podLineToLogLine(
  input: { cluster: string; pod: string; container: string; previous: boolean },
  line: { time: string; text: string },
  n: number,
): LogLine {
  const fields: Record<string, string | number | boolean | null> = {};
  let structured: Record<string, unknown> = {};
  if (line.text.trimStart().startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(line.text);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) structured = parsed as Record<string, unknown>;
    } catch {
      // A line that only looks like JSON stays text.
    }
  }
  flatten(structured, "", fields);
  fields.source = input.previous ? "previous container" : "container";
  return {
    id: `pod:${input.cluster}/${input.pod}/${input.container}/${input.previous ? "previous" : "current"}/${n}`,
    timestamp: line.time ? normaliseTimestamp(line.time) : "",
    pod: input.pod,
    container: input.container,
    level: detectLevel(structured, LEVEL_FIELDS, line.text),
    message: line.text.slice(0, 32 * 1024),
    fields,
  };
}

function problemOf(error: unknown, cluster: string, previous: boolean): LogsProblem {
  const source = `cluster ${cluster}`;
  if (isAppError(error)) {
    const noPrevious = previous && /previous terminated container|not found/i.test(error.message);
    return {
      code: "pod_logs_unavailable",
      message: noPrevious ? "This container has not restarted: there is no previous container to read" : error.message.slice(0, 300),
      source,
    };
  }
  return { code: "unreachable", message: `Reading the pod's logs failed: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`, source };
}

export async function readPodLogs(gateway: PodLogReader | undefined, input: PodLogsInput): Promise<PodLogs> {
  const source = `cluster ${input.cluster}`;
  if (!gateway) return { lines: [], errors: [{ code: "not_configured", message: `No cluster named ${input.cluster} is configured`, source }] };
  const tailLines = input.tailLines ?? 500;
  if (!Number.isInteger(tailLines) || tailLines < 1 || tailLines > MAX_POD_TAIL_LINES) {
    throw new ValidationError(`tailLines must be a whole number from 1 to ${MAX_POD_TAIL_LINES}`);
  }
  const previous = input.previous === true;
  try {
    const raw = await gateway.readPodLogs(
      { cluster: input.cluster, namespace: input.namespace, pod: input.pod, container: input.container },
      { tailLines, previous, as: input.as },
    );
    const container = input.container ?? "";
    return { lines: raw.map((l, i) => podLineToLogLine({ cluster: input.cluster, pod: input.pod, container, previous }, l, i)), errors: [] };
  } catch (error) {
    return { lines: [], errors: [problemOf(error, input.cluster, previous)] };
  }
}
