import "server-only";
import type { Principal } from "../../identity";
import { systemContext } from "../../identity";
import { registerRelease } from "../../releases";
import type { Db } from "../../shared/db";
import { logger } from "../../shared/logger";
import { CANARY_IN_STAGING, CRASHLOOP_IN_STAGING, demoVersions, nextVersion } from "../demo-clusters";

/**
 * Right after the demo is first seeded, its squads' CI registers two new releases, so the portal has something
 * live to show: card-processing's canary pauses at its first step in staging (a promote checkpoint waits in the
 * approvals inbox), and email-sender's new pods crash-loop in staging (a failed rollout to roll back).
 */
export async function startDemoActivity(db: Db): Promise<void> {
  for (const [service, changelog] of [
    [CANARY_IN_STAGING, "Route 20% of authorisations through the new scheme adapter."],
    [CRASHLOOP_IN_STAGING, "Switch to the new mail relay (missing SMTP_HOST: the container exits)."],
  ] as const) {
    const row = await db.service.findUnique({
      where: { kind_name: { kind: "component", name: service } },
      select: { team: { select: { id: true, name: true } } },
    });
    if (!row?.team) continue;
    const ci: Principal = { kind: "token", tokenId: "demo-ci", tokenName: "ci", scopes: ["releases:write"], team: row.team };
    const version = nextVersion(demoVersions(service).staging);
    try {
      await registerRelease(db, ci, systemContext(`ci (${row.team.name})`), service, {
        version,
        image: `registry.harbourbank.example/${service}:${version}`,
        commitSha: Buffer.from(`${service}${version}`).toString("hex").slice(0, 40).padEnd(40, "0"),
        commitUrl: `https://github.com/harbour-bank/${service}/commits`,
        author: "release-bot",
        changelog,
      });
    } catch (error) {
      logger().warn({ err: error, service }, "demo activity could not register a release");
    }
  }
}
