import { authenticate } from "@/server/identity";
import { json, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const { principal } = await authenticate(request);
  if (principal.kind === "session") {
    const { person } = principal;
    return json({
      kind: "person",
      name: person.name,
      displayName: person.displayName,
      email: person.email,
      roles: person.roles,
      teams: person.teams,
      approverTeams: person.approverTeams,
      approverTiers: person.approverTiers,
      signInMethod: principal.method,
    });
  }
  return json({ kind: "token", name: principal.tokenName, scopes: principal.scopes, owner: principal.person?.name ?? principal.team?.name ?? null });
});
