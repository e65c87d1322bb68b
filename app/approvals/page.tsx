import { slipway } from "@/server/composition";
import type { Metadata } from "next";
import { ApprovalsInbox } from "@/components/approvals/approvals-inbox";
import { requirePagePrincipal } from "@/server/identity";
import { checkpointEvidence, checkpointInbox, type Evidence } from "@/server/releases";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Approvals" };

/** Evidence is read for the checkpoints this person may decide (each is a few queries): enough for a working inbox. */
const evidenceLimit = 40;

export default async function ApprovalsPage() {
  const principal = await requirePagePrincipal("/approvals");
  const { db, metrics: installed } = slipway();
  const metrics = installed?.metrics;
  const items = await checkpointInbox(db, principal);
  const mine = items.filter((i) => i.canDecide);
  const others = items.filter((i) => !i.canDecide);
  const evidence = new Map<string, Evidence | null>(
    await Promise.all(mine.slice(0, evidenceLimit).map(async (i) => [i.id, await checkpointEvidence(db, i.id, metrics).catch(() => null)] as const)),
  );
  const person = principal.person;
  return (
    <ApprovalsInbox
      mine={mine.map((item) => ({ item, evidence: evidence.get(item.id) ?? null }))}
      others={others}
      isApprover={person.roles.includes("approver")}
      approverScope={person.approverTeams}
    />
  );
}
