import "server-only";
import { database, type Db } from "../shared/db";
import { BadRequestError, NotFoundError, zodFieldErrors } from "../shared/errors";
import { withAudit, type RequestContext } from "../audit";
import { authorize, type Principal } from "../identity/permissions-api";
import { applyImport, planImport } from "./descriptors/import-descriptors";
import { findServiceDetail } from "./service-detail-repository";
import { findFacets, findServicePage, quickSearchServices } from "./service-repository";
import { findTeamDetail, findTeamPage, quickSearchTeams } from "./team-repository";
import {
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
export { parseDescriptors } from "./descriptors/parse-descriptors";

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

export async function getService(name: string, kind: ServiceKind = "component", db?: Db): Promise<ServiceDetail> {
  const service = await findServiceDetail(await prisma(db), kind, name);
  if (!service) throw new NotFoundError(`There is no ${kind === "component" ? "service" : kind} named "${name}" in the catalogue.`);
  return service;
}

export async function findService(name: string, kind: ServiceKind = "component", db?: Db): Promise<ServiceDetail | null> {
  return findServiceDetail(await prisma(db), kind, name);
}

export async function listTeams(input: Record<string, unknown>, db?: Db): Promise<TeamPage> {
  return findTeamPage(await prisma(db), teamQuerySchema.parse(input));
}

export async function getTeam(name: string, db?: Db): Promise<TeamDetail> {
  const team = await findTeamDetail(await prisma(db), name);
  if (!team) throw new NotFoundError(`There is no team named "${name}" in the catalogue.`);
  return team;
}

export async function findTeam(name: string, db?: Db): Promise<TeamDetail | null> {
  return findTeamDetail(await prisma(db), name);
}

export async function quickSearch(q: string, db?: Db): Promise<QuickSearchResult> {
  const p = await prisma(db);
  const text = q.trim().slice(0, 200);
  if (!text) return { services: [], teams: [] };
  const [services, teams] = await Promise.all([quickSearchServices(p, text, 8), quickSearchTeams(p, text, 5)]);
  return {
    services: services.map((s) => ({ name: s.name, kind: s.kind, title: s.title, team: s.team })),
    teams,
  };
}

/**
 * Imports Backstage descriptors as `principal`: all or nothing, authorized per owning squad, audited in the same
 * transaction. A null principal is the system itself (the demo seed, the CLI run by an operator).
 */
export async function importCatalogue(
  yamlText: string,
  actor: { principal: Principal | null; context: RequestContext },
  db?: Db,
): Promise<ImportResult> {
  return withAudit(
    await prisma(db),
    actor.context,
    async (tx, audit) => {
      const plan = await planImport(tx, yamlText);
      if (actor.principal) {
        authorize(actor.principal, { action: "catalogue.import", teams: plan.teams, organisation: plan.organisation });
      }
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
}
