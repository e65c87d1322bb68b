import "server-only";
import { withAudit, type RequestContext } from "../audit";
import { authorizeMutation, type Principal } from "../identity";
import type { Db } from "../shared/db";
import { ConflictError, NotFoundError } from "../shared/errors";
import { environmentPolicies } from "./environments";
import { activeFreeze } from "./freezes";
import { currentRelease, toReleaseView } from "./rollout-repository";
import { moveRollout } from "./rollout-state-machine";
import type { RegisterReleaseInput, ReleaseView } from "./types";

function sameBuild(a: { image: string; digest: string | null }, b: RegisterReleaseInput): boolean {
  return a.image === b.image && (a.digest ?? null) === (b.digest ?? null);
}

/**
 * CI registers what it built. Idempotent on (service, version); a different image for a known version is a 409,
 * never an overwrite. Environments with the `auto` policy (staging) get a rollout at once.
 */
export async function registerRelease(
  db: Db,
  principal: Principal,
  context: RequestContext,
  serviceName: string,
  input: RegisterReleaseInput,
): Promise<{ release: ReleaseView; created: boolean; autoRollouts: string[]; heldByFreeze: Array<{ environment: string; until: string; reason: string }> }> {
  const service = await db.service.findUnique({
    where: { kind_name: { kind: "component", name: serviceName } },
    select: { id: true, name: true, team: { select: { name: true } } },
  });
  if (!service) throw new NotFoundError(`There is no service named "${serviceName}".`);
  await authorizeMutation(db, principal, context, { action: "release.register", team: service.team?.name ?? null });

  const existing = await db.release.findUnique({ where: { serviceId_version: { serviceId: service.id, version: input.version } } });
  if (existing) {
    if (!sameBuild(existing, input)) {
      throw new ConflictError(
        `${serviceName} ${input.version} is already registered with image ${existing.image}${existing.digest ? `@${existing.digest}` : ""}; a version's image never changes. Register a new version.`,
      );
    }
    return { release: toReleaseView(existing, service.name), created: false, autoRollouts: [], heldByFreeze: [] };
  }

  try {
    return await withAudit(db, context, async (tx, audit) => {
      const release = await tx.release.create({
        data: {
          ...input,
          serviceId: service.id,
          digest: input.digest ?? null,
          committedAt: input.committedAt ? new Date(input.committedAt) : null,
          registeredBy: context.actor.name,
        },
      });
      await audit({
        action: "release.register",
        targetType: "service",
        targetId: service.name,
        details: { after: { version: input.version, image: input.image, digest: input.digest, commitSha: input.commitSha } },
      });

      const autoRollouts: string[] = [];
      const heldByFreeze: Array<{ environment: string; until: string; reason: string }> = [];
      for (const env of environmentPolicies().filter((e) => e.policy === "auto")) {
        // A freeze holds automatic rollouts back too: the release waits, registered, until someone requests it.
        const freeze = await activeFreeze(tx, service.id, env.name);
        if (freeze) {
          heldByFreeze.push({ environment: env.name, until: freeze.endsAt, reason: freeze.reason });
          await audit({
            action: "rollout.auto_held",
            targetType: "service",
            targetId: service.name,
            details: { environment: env.name, version: input.version, freeze },
          });
          continue;
        }
        const previous = await currentRelease(tx, service.id, env.name);
        // A newer build replaces whatever was still waiting there.
        const waiting = await tx.rollout.findMany({
          where: { serviceId: service.id, environment: env.name, state: { in: ["requested", "awaiting_approval", "approved"] } },
          select: { id: true },
        });
        for (const old of waiting) {
          await moveRollout(tx, audit, {
            id: old.id,
            from: ["requested", "awaiting_approval", "approved"],
            to: "superseded",
            data: { finishedAt: new Date() },
            details: { by: `release ${input.version}`, service: service.name, environment: env.name },
          });
        }
        const rollout = await tx.rollout.create({
          data: {
            serviceId: service.id,
            environment: env.name,
            releaseId: release.id,
            previousReleaseId: previous?.id ?? null,
            state: "approved",
            requestedByName: "continuous delivery",
            reason: `${env.name} receives every new release`,
            approvedAt: new Date(),
          },
        });
        await audit({
          action: "rollout.auto",
          targetType: "rollout",
          targetId: rollout.id,
          details: { service: service.name, environment: env.name, version: input.version, state: "approved" },
        });
        autoRollouts.push(rollout.id);
      }
      return { release: toReleaseView(release, service.name), created: true, autoRollouts, heldByFreeze };
    });
  } catch (error) {
    // Two registrations of the same version at the same instant: the loser answers like a repeat.
    if ((error as { code?: string }).code === "P2002") {
      const winner = await db.release.findUnique({ where: { serviceId_version: { serviceId: service.id, version: input.version } } });
      if (winner && sameBuild(winner, input)) return { release: toReleaseView(winner, service.name), created: false, autoRollouts: [], heldByFreeze: [] };
      if (winner) throw new ConflictError(`${serviceName} ${input.version} is already registered with another image.`);
    }
    throw error;
  }
}
