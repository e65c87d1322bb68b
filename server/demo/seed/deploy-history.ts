import "server-only";
import { createHash } from "node:crypto";
import type { Db } from "../../shared/db";
import { demoVersions } from "../demo-clusters";

const registry = "registry.harbourbank.example";

function sha(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

const hours = (n: number) => new Date(Date.now() - n * 3_600_000);

/**
 * The deploy history the demo clusters imply: for every component, the release production runs (deployed days ago
 * through an approved checkpoint) and the newer one staging runs (delivered hours ago), with the commits between.
 * Written as data, like an import; the audit trail starts with the demo seed itself.
 */
export async function seedDeployHistory(db: Db): Promise<void> {
  if ((await db.release.count()) > 0) return;
  const components = await db.service.findMany({
    where: { kind: "component", type: { not: "library" } },
    select: { id: true, name: true, tier: true, team: { select: { name: true, memberships: { select: { person: { select: { id: true, name: true } } } } } } },
  });
  const approvers = await db.person.findMany({ where: { roles: { has: "approver" } }, select: { id: true, name: true, approverTeams: true } });
  for (const service of components) {
    const versions = demoVersions(service.name);
    const team = service.team?.name ?? "";
    const people = service.team?.memberships.map((m) => m.person) ?? [];
    const author = (i: number) => people[i % Math.max(1, people.length)]?.name ?? "release-bot";
    const seed = createHash("sha256").update(service.name).digest().readUInt32BE(0);
    const prodAge = 24 * (2 + (seed % 9));
    const stagingAge = 2 + (seed % 30);
    const [major, minor] = versions.staging.split(".").map(Number) as [number, number];
    const [, prodMinor] = versions.production.split(".").map(Number) as [number, number];
    const chain: Array<{ version: string; at: Date }> = [{ version: versions.production, at: hours(prodAge + 2) }];
    for (let m = prodMinor + 1; m < minor; m++) chain.push({ version: `${major}.${m}.0`, at: hours(prodAge / 2) });
    chain.push({ version: versions.staging, at: hours(stagingAge + 1) });

    const releases = [];
    for (const [i, r] of chain.entries()) {
      releases.push(
        await db.release.create({
          data: {
            serviceId: service.id,
            version: r.version,
            image: `${registry}/${service.name}:${r.version}`,
            commitSha: sha(`${service.name}@${r.version}`),
            commitUrl: `https://github.com/harbour-bank/${service.name}/commit/${sha(`${service.name}@${r.version}`)}`,
            buildUrl: `https://ci.harbourbank.example/${service.name}/builds/${1000 + i}`,
            author: author(i),
            changelog: i === 0 ? "Quarterly dependency upgrades." : `Changes towards ${r.version}: fixes and small improvements.`,
            registeredBy: `ci (${team || service.name})`,
            createdAt: r.at,
          },
        }),
      );
    }
    const production = releases[0]!;
    const staging = releases.at(-1)!;
    const approver =
      approvers.find((a) => a.name !== author(0) && a.approverTeams.includes(team)) ??
      approvers.find((a) => a.name !== author(0) && a.approverTeams.length === 0);
    // Staging received every release; production the one it runs, through a checkpoint.
    for (const release of releases) {
      await db.rollout.create({
        data: {
          serviceId: service.id,
          environment: "staging",
          releaseId: release.id,
          state: release.id === staging.id ? "succeeded" : "superseded",
          requestedByName: "continuous delivery",
          reason: "staging receives every new release",
          createdAt: release.createdAt,
          approvedAt: release.createdAt,
          startedAt: release.createdAt,
          finishedAt: new Date(release.createdAt.getTime() + 90_000),
        },
      });
    }
    const requestedAt = hours(prodAge + 1);
    const prodRollout = await db.rollout.create({
      data: {
        serviceId: service.id,
        environment: "production",
        releaseId: production.id,
        state: "succeeded",
        requestedById: people[0]?.id ?? null,
        requestedByName: author(0),
        reason: "Scheduled release",
        approvalsRequired: service.tier === 1 ? 2 : 1,
        createdAt: requestedAt,
        approvedAt: hours(prodAge),
        startedAt: hours(prodAge),
        finishedAt: new Date(hours(prodAge).getTime() + 150_000),
      },
    });
    const checkpoint = await db.checkpoint.create({
      data: { rolloutId: prodRollout.id, kind: "deploy", state: "approved", approvalsRequired: service.tier === 1 ? 2 : 1, createdAt: requestedAt, decidedAt: hours(prodAge), appliedAt: hours(prodAge) },
    });
    if (approver) {
      await db.approval.create({ data: { checkpointId: checkpoint.id, personId: approver.id, personName: approver.name, decision: "approve", comment: "Staging green; change reviewed.", createdAt: hours(prodAge) } });
    }
  }
}
