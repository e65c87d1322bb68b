import "server-only";
import { database, type Db } from "../shared/db";
import { BadRequestError, NotFoundError, ValidationError, zodFieldErrors } from "../shared/errors";
import { isSafeText } from "../shared/input";
import { withAudit, type RequestContext } from "../audit";
import { decide, refuseMutation, type Permission, type Principal } from "../identity";
import { applyImport, planImport } from "./descriptors/import-descriptors";
import { plannedComponents, policyChanges, workloadIdClashes, type PlannedComponent } from "./descriptors/policy-changes";
import { findServiceDetail } from "./service-detail-repository";
import { findFacets } from "./service-facets";
import { findServicePage, quickSearchServices } from "./service-repository";
import { findTeamDetail, findTeamPage, quickSearchTeams } from "./team-repository";
import {
  entityName,
  serviceQuerySchema,
  teamQuerySchema,
  type Facets,
  type ImportResult,
  type QuickSearchResult,
  type ServiceDetail,
  type ServiceKind,
  type ServicePage,
  type ServiceQuery,
  type ServiceQueryInput,
  type TeamDetail,
  type TeamPage,
} from "./types";

export * from "./types";

const prisma = async (db?: Db) => db ?? (await database()).prisma;

/** Parses a catalogue query (a URL's search params or an object); invalid input is a 400 with every problem. */
export function parseServiceQuery(input: ServiceQueryInput | Record<string, string | string[] | undefined>): ServiceQuery {
  const parsed = serviceQuerySchema.safeParse(input);
  if (!parsed.success) throw new BadRequestError("The catalogue query is not valid.", zodFieldErrors(parsed.error));
  return parsed.data;
}

export async function listServices(query: ServiceQuery, db?: Db): Promise<ServicePage> {
  return findServicePage(await prisma(db), query);
}

export async function serviceFacets(query: ServiceQuery, db?: Db): Promise<Facets> {
  return findFacets(await prisma(db), query);
}

/** A name no descriptor could hold (a NUL, say) names nothing: answered without asking the database. */
const isEntityName = (name: string) => entityName.safeParse(name).success;

export async function getService(name: string, kind: ServiceKind = "component", db?: Db): Promise<ServiceDetail> {
  const service = isEntityName(name) ? await findServiceDetail(await prisma(db), kind, name) : null;
  if (!service) throw new NotFoundError(`There is no ${kind === "component" ? "service" : kind} named "${name}" in the catalogue.`);
  return service;
}

export async function findService(name: string, kind: ServiceKind = "component", db?: Db): Promise<ServiceDetail | null> {
  return isEntityName(name) ? findServiceDetail(await prisma(db), kind, name) : null;
}

export async function listTeams(input: Record<string, unknown>, db?: Db): Promise<TeamPage> {
  return findTeamPage(await prisma(db), teamQuerySchema.parse(input));
}

export async function getTeam(name: string, db?: Db): Promise<TeamDetail> {
  const team = isEntityName(name) ? await findTeamDetail(await prisma(db), name) : null;
  if (!team) throw new NotFoundError(`There is no team named "${name}" in the catalogue.`);
  return team;
}

export async function findTeam(name: string, db?: Db): Promise<TeamDetail | null> {
  return isEntityName(name) ? findTeamDetail(await prisma(db), name) : null;
}

export async function quickSearch(q: string, db?: Db): Promise<QuickSearchResult> {
  const p = await prisma(db);
  const text = q.trim().slice(0, 200);
  // Text with a NUL or a lone surrogate matches no name and would fail the query.
  if (!text || !isSafeText(text)) return { services: [], teams: [] };
  const [services, teams] = await Promise.all([quickSearchServices(p, text, 8), quickSearchTeams(p, text, 5)]);
  return {
    services: services.map((s) => ({ name: s.name, kind: s.kind, title: s.title, team: s.team })),
    teams,
  };
}

/**
 * Checks a component's workload mapping against the clusters' rules (which squad owns which namespace): the messages
 * of what is wrong, each naming the annotation. Passed in by whoever knows the clusters.
 */
export type MappingCheck = (component: PlannedComponent) => Array<{ annotation: string; message: string }>;

/**
 * Imports Backstage descriptors as `principal`: all or nothing, authorized per owning squad, audited in the same
 * transaction. A null principal is the system itself (the demo seed, the CLI run by an operator). What decides an
 * existing service's policy (tier, owner, workload mapping) changes only by an admin; a workload mapping must stay
 * within the squad's namespaces and the service's own workload id.
 */
export async function importCatalogue(
  yamlText: string,
  actor: { principal: Principal | null; context: RequestContext },
  db?: Db,
  options: { checkMapping?: MappingCheck } = {},
): Promise<ImportResult> {
  const database = await prisma(db);
  let refused: { permission: Permission; reason: string } | undefined;
  const result = await withAudit(
    database,
    actor.context,
    async (tx, audit) => {
      const plan = await planImport(tx, yamlText);
      const permissions: Permission[] = [{ action: "catalogue.import", teams: plan.teams, organisation: plan.organisation }];
      for (const change of await policyChanges(tx, plan)) permissions.push({ action: "service.change-policy", ...change });
      for (const permission of actor.principal ? permissions : []) {
        const verdict = decide(actor.principal, permission);
        if (!verdict.allowed) {
          refused = { permission, reason: verdict.reason };
          audit.nothingChanged();
          return null;
        }
      }
      const components = plannedComponents(plan);
      const problems = await workloadIdClashes(tx, components);
      for (const c of options.checkMapping ? components : []) {
        for (const p of options.checkMapping!(c)) problems.push({ document: c.document, line: c.line, message: `${p.annotation}: ${p.message}` });
      }
      if (problems.length)
        throw new ValidationError(`${problems.length === 1 ? "A workload mapping is" : "Workload mappings are"} not allowed; nothing was imported.`, problems);
      const result = await applyImport(tx, plan);
      await audit({
        action: "catalogue.import",
        targetType: "catalogue",
        targetId: null,
        details: { ...result, documents: plan.documents, teams: plan.teams },
      });
      return result;
    },
    { timeoutMs: 300_000 },
  );
  if (refused) return refuseMutation(database, actor.principal, actor.context, refused.permission, { allowed: false, reason: refused.reason });
  return result!;
}
export { catalogueOpenApi } from "./openapi";
export { asAnnotations } from "./service-detail-repository";
