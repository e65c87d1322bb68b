import type { Metadata } from "next";
import { requirePagePrincipal } from "@/server/identity";
import { loadAllTeams } from "@/components/catalogue/load-teams";
import { TeamDirectory } from "@/components/catalogue/team-directory";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Teams" };

export default async function TeamsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const q = typeof params.q === "string" ? params.q.slice(0, 200) : "";
  await requirePagePrincipal(q ? `/teams?${new URLSearchParams({ q })}` : "/teams");
  const { teams, complete } = await loadAllTeams();
  return <TeamDirectory teams={teams} complete={complete} initialQuery={q} />;
}
