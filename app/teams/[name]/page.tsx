import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePagePrincipal } from "@/server/identity";
import { loadRunningVersionsWithin } from "@/server/cluster";
import { deliveryQuerySchema, getDeliveryFigures } from "@/server/delivery";
import { logger } from "@/server/shared/logger";
import { loadAllTeams } from "@/components/catalogue/load-teams";
import { loadTeam } from "./load-team";
import { TeamOverview } from "@/components/catalogue/team-overview";
import { DeliverySection, DeliveryUnavailable } from "@/components/delivery/delivery-section";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { name } = await params;
  return { title: name };
}

export default async function TeamPage({ params, searchParams }: Params) {
  const { name } = await params;
  await requirePagePrincipal(`/teams/${encodeURIComponent(name)}`);
  const team = await loadTeam(name);
  if (!team) notFound();
  // A window other than 30 or 90 days falls back to 30: the page still answers.
  const days = deliveryQuerySchema.safeParse(await searchParams).data?.days ?? 30;
  // The rest of the organisation gives the counts of sub-teams and the squads below a tribe.
  const [{ teams }, versions, delivery] = await Promise.all([
    team.children.length ? loadAllTeams() : { teams: [] },
    loadRunningVersionsWithin(
      team.services.map((s) => s.name),
      1_500,
    ),
    getDeliveryFigures({ kind: "team", name: team.name }, days).catch((error: unknown) => {
      logger().error({ err: error, team: team.name }, "delivery figures failed");
      return null;
    }),
  ]);
  const base = `/teams/${encodeURIComponent(team.name)}`;
  return (
    <TeamOverview
      team={team}
      allTeams={teams}
      versions={versions}
      delivery={
        delivery ? (
          <DeliverySection figures={delivery} windowHref={(d) => `${base}?days=${d}`} withTeamsBelow={team.children.length > 0} />
        ) : (
          <DeliveryUnavailable />
        )
      }
    />
  );
}
