import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePagePrincipal } from "@/server/identity";
import { loadRunningVersionsWithin } from "@/server/cluster";
import { loadAllTeams } from "@/components/catalogue/load-teams";
import { loadTeam } from "./load-team";
import { TeamOverview } from "@/components/catalogue/team-overview";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { name } = await params;
  return { title: name };
}

export default async function TeamPage({ params }: Params) {
  const { name } = await params;
  await requirePagePrincipal(`/teams/${encodeURIComponent(name)}`);
  const team = await loadTeam(name);
  if (!team) notFound();
  // The rest of the organisation gives the counts of sub-teams and the squads below a tribe.
  const [{ teams }, versions] = await Promise.all([
    team.children.length ? loadAllTeams() : { teams: [] },
    loadRunningVersionsWithin(
      team.services.map((s) => s.name),
      1_500,
    ),
  ]);
  return <TeamOverview team={team} allTeams={teams} versions={versions} />;
}
