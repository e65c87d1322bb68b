import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../../shared/db";
import { importCatalogue } from "../../catalogue";
import { systemContext } from "../../identity";
import { logger } from "../../shared/logger";
import { seedDeployHistory } from "./deploy-history";

export const demoCatalogPath = path.join(process.cwd(), "server", "demo", "seed", "catalog.yaml");

export const demoEnvironments = [
  { name: "staging", title: "Staging", position: 1, production: false },
  { name: "production", title: "Production", position: 2, production: true },
];

/**
 * Who may do what in the demo, as an identity provider's groups would grant it: every squad member is an engineer,
 * each squad has an approver, Aisha administers Slipway, and Isabel only looks.
 */
export const demoRoles: Record<string, { roles: string[]; approverTeams?: string[] }> = {
  "aisha.bello": { roles: ["viewer", "engineer", "admin"] },
  "tom.hughes": { roles: ["viewer", "engineer", "approver"], approverTeams: ["cards"] },
  "daniel.mensah": { roles: ["viewer", "engineer", "approver"], approverTeams: ["cards", "payments-core"] },
  "mei.lin": { roles: ["viewer", "engineer", "approver"], approverTeams: ["payments-core"] },
  "jack.thompson": { roles: ["viewer", "engineer", "approver"], approverTeams: ["accounts"] },
  "ravi.patel": { roles: ["viewer", "engineer", "approver"], approverTeams: ["notifications"] },
  "james.oconnor": { roles: ["viewer", "engineer", "approver"] },
  "grace.adeyemi": { roles: ["viewer", "engineer", "approver"], approverTeams: ["identity"] },
  "isabel.fernandes": { roles: ["viewer"] },
};

/**
 * Seeds the embedded default with Harbour Bank, a demo retail bank, through the same Backstage import users run.
 * Runs once: a catalogue that already has teams is left alone.
 */
export async function seedDemo(db: Db, options: { history?: boolean } = {}): Promise<{ seeded: boolean }> {
  for (const env of demoEnvironments) {
    await db.environment.upsert({ where: { name: env.name }, create: env, update: {} });
  }
  if ((await db.team.count()) > 0) return { seeded: false };
  const result = await importCatalogue(fs.readFileSync(demoCatalogPath, "utf8"), { principal: null, context: systemContext("demo-seed") }, db);
  await db.person.updateMany({ where: { roles: { isEmpty: true } }, data: { roles: ["viewer", "engineer"] } });
  for (const [name, grant] of Object.entries(demoRoles)) {
    await db.person.updateMany({ where: { name }, data: { roles: grant.roles, approverTeams: grant.approverTeams ?? [] } });
  }
  if (options.history !== false) await seedDeployHistory(db);
  logger().info(result, "seeded the demo catalogue");
  return { seeded: true };
}
