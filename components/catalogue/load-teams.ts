import { listTeams, type TeamSummary } from "@/server/catalogue";

/** Enough teams for the directory tree. Organisations have hundreds of teams, not millions; beyond the cap the
 * directory searches on the server instead. */
const teamCap = 2000;

export async function loadAllTeams(): Promise<{ teams: TeamSummary[]; complete: boolean }> {
  const teams: TeamSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await listTeams({ limit: 500, cursor });
    teams.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && teams.length < teamCap);
  return { teams, complete: !cursor };
}
