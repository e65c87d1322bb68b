import "server-only";
import { slipway } from "@/server/composition";
import { z } from "zod";
import type { ServiceDetail } from "@/server/catalogue";
import { clusterRegistry, resolveWorkloadTarget, serviceWorkloadId, type ActingPerson } from "@/server/cluster";
import type { Principal } from "@/server/identity";
import { actingPerson, getRollout } from "@/server/releases";
import type { LogsProblem, ServiceScope } from "@/server/logs";
import { FILTERABLE_LEVELS, MAX_PAGE_LINES, MAX_QUERY_TEXT_LENGTH, MAX_RANGE_DAYS } from "@/server/logs/contract";
import { NotFoundError, ValidationError } from "@/server/shared/errors";
import { dnsLabelParam, safeText } from "@/server/shared/input";

/**
 * What the log route handlers share: the service's scope (namespace and
 * label from the catalogue and its workload mapping, never from the request) and the query-string schemas.
 */

export type LogScope = { scope: ServiceScope; problem: null } | { scope: null; problem: LogsProblem };

/** The namespace and service label the log store filters on; a problem (shown on the Logs tab) when unmapped. */
export function serviceLogScope(service: ServiceDetail, environment: string): LogScope {
  const source = `${service.name} in ${environment}`;
  let namespace: string | null = null;
  try {
    namespace = resolveWorkloadTarget(service, { byName: true })?.namespace ?? null;
  } catch (error) {
    return { scope: null, problem: { code: "not_configured", message: error instanceof Error ? error.message : String(error), source } };
  }
  const team = service.team?.name;
  if (!namespace && team) {
    // No namespace annotation: the one namespace the owning squad has on this environment's clusters, if only one.
    const registry = clusterRegistry();
    const owned = new Set(registry.inEnvironment(environment).flatMap((g) => registry.namespacesOf(g.name, team)));
    if (owned.size === 1) namespace = [...owned][0]!;
  }
  if (!namespace) {
    return {
      scope: null,
      problem: {
        code: "not_configured",
        message: `${service.name} names no Kubernetes namespace: add the backstage.io/kubernetes-namespace annotation to its catalog-info.yaml`,
        source,
      },
    };
  }
  return { scope: { namespace, label: serviceWorkloadId(service) }, problem: null };
}

/** Who the cluster sees reading pod logs when it impersonates: the person, with their latest sign-in's groups. */
export async function actingAs(principal: Principal): Promise<ActingPerson | undefined> {
  return actingPerson(slipway().db, principal.person?.id ?? null);
}

const instant = z.union([
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
  z.iso.datetime({ offset: true }).transform((v) => Date.parse(v)),
]);
export const podName = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "a pod name");
export const containerName = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a container name");
const level = z.enum(FILTERABLE_LEVELS);

/** The Logs tab's filters (no query language: `q` is matched as text against the message field). */
export const logFiltersQuery = z.object({
  environment: dnsLabelParam,
  q: safeText(MAX_QUERY_TEXT_LENGTH).optional(),
  pod: podName.optional(),
  container: containerName.optional(),
  level: z.union([level, z.array(level).max(FILTERABLE_LEVELS.length)]).optional(),
  /** Only the new pods of this rollout (a deploy marker's link): lines from containers running its release's image. */
  rollout: z.uuid().optional(),
});

/**
 * A rollout's "new pods", as the log store can tell them: fluentd's metadata filter records each container's image
 * (`kubernetes.container_image`), and a rollout sets its release's image (pinned by digest when the release has
 * one). A runtime that reports the image normalised (`docker.io/library/...`) or by digest alone will not match;
 * the Logs tab then shows no lines and names the image it looked for.
 */
export async function rolloutImages(service: ServiceDetail, environment: string, rolloutId: string | undefined): Promise<string[] | undefined> {
  if (!rolloutId) return undefined;
  const rollout = await getRollout(slipway().db, rolloutId);
  if (rollout.service !== service.name || rollout.environment !== environment) {
    throw new NotFoundError(`That rollout is not one of ${service.name} in ${environment}.`);
  }
  const { image, digest } = rollout.release;
  return digest ? [image, `${image}@${digest}`] : [image];
}

const HOUR = 3_600_000;

export const logRangeQuery = logFiltersQuery.extend({
  /** Epoch milliseconds or RFC 3339; default the last hour. */
  from: instant.optional(),
  to: instant.optional(),
});

export const logPageQuery = logRangeQuery
  .extend({
    cursor: safeText(8192).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_LINES).optional(),
  })
  .strict();

/** A range with its defaults filled in and its length checked. */
export function rangeOf(query: { from?: number | undefined; to?: number | undefined }, now = Date.now()): { from: number; to: number } {
  const to = query.to ?? now;
  const from = query.from ?? to - HOUR;
  // Checked here as well as in the logs module: the export streams, and a refusal must come before its headers.
  if (from > to) throw new ValidationError("from must not be after to");
  if (to - from > MAX_RANGE_DAYS * 24 * HOUR) throw new ValidationError(`A log search covers at most ${MAX_RANGE_DAYS} days`);
  return { from, to };
}
