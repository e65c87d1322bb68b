import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { recordAuditHistory, type HistoricalAuditEvent, type RequestContext } from "../../audit";
import { systemContext } from "../../identity";
import type { Db } from "../../shared/db";
import { demoVersions } from "../demo-clusters";
import { seedProductionHistory } from "./delivery-history";

const registry = "registry.harbourbank.example";

function sha(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

const later = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

function personContext(person: { id: string; name: string }): RequestContext {
  return { actor: { type: "person", id: person.id, name: person.name }, requestId: randomUUID(), sourceIp: undefined };
}

/**
 * The deploy history the demo clusters imply: for every component, the release production runs (deployed days ago
 * through an approved checkpoint) and the newer one staging runs (delivered hours ago), with the commits between.
 * Written as data, like an import, together with the audit events the same history would have left (release
 * registered, rollout requested, approved, applied, and its outcome), at their historical times and appended to the
 * chain in that order, so the audit page answers "who deployed what, when" for the seeded history too.
 */
export async function seedDeployHistory(db: Db): Promise<void> {
  if ((await db.release.count()) > 0) return;
  const components = await db.service.findMany({
    where: { kind: "component", type: { not: "library" } },
    select: { id: true, name: true, tier: true, team: { select: { name: true, memberships: { select: { person: { select: { id: true, name: true } } } } } } },
  });
  const approvers = await db.person.findMany({ where: { roles: { has: "approver" } }, select: { id: true, name: true, approverTeams: true } });
  const history: HistoricalAuditEvent[] = [];
  // One reference instant, so a rollout's times and its audit events' times agree to the millisecond.
  const seededAt = Date.now();
  const hours = (n: number) => new Date(seededAt - n * 3_600_000);
  const controller = systemContext("rollout-controller");
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
    // Releases in between, spread evenly from production's release to staging's: each one newer than the last.
    const between = Math.max(0, minor - prodMinor - 1);
    for (let m = prodMinor + 1; m < minor; m++) {
      chain.push({ version: `${major}.${m}.0`, at: hours(prodAge - ((prodAge - stagingAge - 1) * (m - prodMinor)) / (between + 1)) });
    }
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
            // CI sends the commit's time: lead time for changes starts there.
            committedAt: new Date(r.at.getTime() - 3 * 3_600_000),
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
    const ci = systemContext(`ci (${team || service.name})`);
    for (const release of releases) {
      history.push({
        occurredAt: release.createdAt,
        context: ci,
        action: "release.register",
        targetType: "service",
        targetId: service.name,
        details: { after: { version: release.version, image: release.image, commitSha: release.commitSha } },
      });
    }
    const production = releases[0]!;
    const staging = releases.at(-1)!;
    // Four eyes: approvers other than the requester, of the squad or of every squad; tier 1 needs two.
    const required = service.tier === 1 ? 2 : 1;
    const eligible = approvers.filter((a) => a.name !== author(0) && (a.approverTeams.includes(team) || a.approverTeams.length === 0));
    eligible.sort((a, b) => Number(b.approverTeams.includes(team)) - Number(a.approverTeams.includes(team)));
    const chosen = eligible.slice(0, required);
    // Staging received every release; production the one it runs, through a checkpoint.
    let previousStaging: { id: string; version: string } | undefined;
    for (const release of releases) {
      const rollout = await db.rollout.create({
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
      const what = { service: service.name, environment: "staging", version: release.version };
      const at = release.createdAt;
      history.push(
        { occurredAt: later(at, 1), context: ci, action: "rollout.auto", targetType: "rollout", targetId: rollout.id, details: { ...what, state: "approved" } },
        {
          occurredAt: later(at, 2),
          context: controller,
          action: "rollout.apply_started",
          targetType: "rollout",
          targetId: rollout.id,
          details: { ...what, before: { state: "approved" }, after: { state: "applying" } },
        },
        {
          occurredAt: later(at, 3),
          context: controller,
          action: "rollout.applied",
          targetType: "rollout",
          targetId: rollout.id,
          details: { ...what, image: release.image, actingAs: "slipway", before: { state: "applying" }, after: { state: "progressing" } },
        },
        {
          occurredAt: later(at, 90),
          context: controller,
          action: "rollout.succeeded",
          targetType: "rollout",
          targetId: rollout.id,
          details: { ...what, before: { state: "progressing" }, after: { state: "succeeded" } },
        },
      );
      if (previousStaging) {
        // The release before it stays in the record as replaced by this one.
        history.push({
          occurredAt: later(at, 3),
          context: controller,
          action: "rollout.superseded",
          targetType: "rollout",
          targetId: previousStaging.id,
          details: { by: rollout.id, service: service.name, environment: "staging", before: { state: "succeeded" }, after: { state: "superseded" } },
        });
      }
      previousStaging = { id: rollout.id, version: release.version };
    }
    const requestedAt = hours(prodAge + 1);
    // Ninety days of production deploys before this one, so each squad's delivery figures tell its own story.
    const past = await seedProductionHistory(db, {
      service,
      team,
      people,
      approvers: eligible,
      required,
      major,
      prodMinor,
      until: production.createdAt,
      seededAt,
      registry,
    });
    history.push(...past.events);
    const prodRollout = await db.rollout.create({
      data: {
        serviceId: service.id,
        environment: "production",
        releaseId: production.id,
        previousReleaseId: past.lastGood,
        state: "succeeded",
        requestedById: people[0]?.id ?? null,
        requestedByName: author(0),
        reason: "Scheduled release",
        approvalsRequired: required,
        createdAt: requestedAt,
        approvedAt: hours(prodAge),
        startedAt: hours(prodAge),
        finishedAt: new Date(hours(prodAge).getTime() + 150_000),
      },
    });
    const checkpoint = await db.checkpoint.create({
      data: {
        rolloutId: prodRollout.id,
        kind: "deploy",
        state: "approved",
        approvalsRequired: required,
        createdAt: requestedAt,
        decidedAt: hours(prodAge),
        appliedAt: hours(prodAge),
      },
    });
    const what = { service: service.name, environment: "production", version: production.version };
    const requester = people[0] ? personContext(people[0]) : systemContext(author(0));
    history.push({
      occurredAt: requestedAt,
      context: requester,
      action: "rollout.request",
      targetType: "rollout",
      targetId: prodRollout.id,
      details: { ...what, image: production.image, from: null, state: "awaiting_approval", approvalsRequired: required, reason: "Scheduled release" },
    });
    const comments = ["Staging green; change reviewed.", "Second pair of eyes: dashboards clean."];
    for (const [i, approver] of chosen.entries()) {
      // The deciding approval lands when the rollout was approved; an earlier one half an hour before.
      const at = i === chosen.length - 1 ? hours(prodAge) : later(hours(prodAge), -1800);
      const approvals = i + 1;
      await db.approval.create({
        data: { checkpointId: checkpoint.id, personId: approver.id, personName: approver.name, decision: "approve", comment: comments[i]!, createdAt: at },
      });
      const open = approvals >= required || i === chosen.length - 1;
      history.push({
        occurredAt: at,
        context: personContext(approver),
        action: "checkpoint.approve",
        targetType: "rollout",
        targetId: prodRollout.id,
        details: {
          ...what,
          checkpoint: "deploy",
          step: null,
          comment: comments[i]!,
          approvals,
          approvalsRequired: required,
          before: { state: "awaiting_approval" },
          after: { state: open ? "approved" : "awaiting_approval", checkpoint: open ? "approved" : "awaiting_approval" },
        },
      });
    }
    const startedAt = hours(prodAge);
    history.push(
      {
        occurredAt: later(startedAt, 1),
        context: controller,
        action: "rollout.apply_started",
        targetType: "rollout",
        targetId: prodRollout.id,
        details: { ...what, before: { state: "approved" }, after: { state: "applying" } },
      },
      {
        occurredAt: later(startedAt, 2),
        context: controller,
        action: "rollout.applied",
        targetType: "rollout",
        targetId: prodRollout.id,
        details: { ...what, image: production.image, actingAs: "slipway", before: { state: "applying" }, after: { state: "progressing" } },
      },
      {
        occurredAt: later(startedAt, 150),
        context: controller,
        action: "rollout.succeeded",
        targetType: "rollout",
        targetId: prodRollout.id,
        details: { ...what, before: { state: "progressing" }, after: { state: "succeeded" } },
      },
    );
  }
  // One chain, in the order things happened (a stable sort keeps each rollout's same-instant steps in order).
  history.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  await recordAuditHistory(history, db);
}
