import { slipway } from "@/server/composition";
import type { Metadata } from "next";
import { ApiTokensPanel } from "@/components/identity/api-tokens-panel";
import { listTeams } from "@/server/catalogue";
import { listApiTokens, requirePagePrincipal } from "@/server/identity";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  const principal = await requirePagePrincipal("/settings/tokens");
  const isAdmin = principal.person.roles.includes("admin");
  const prisma = slipway().db;
  const [tokens, teams] = await Promise.all([listApiTokens(prisma, principal), isAdmin ? listTeams({ limit: 500 }) : null]);

  return (
    <div className="mx-auto max-w-[1440px] px-4 py-6 md:px-6">
      <nav aria-label="Breadcrumb" className="mb-2 text-xs text-zinc-500 dark:text-zinc-400">
        <ol className="flex items-center gap-1.5">
          <li>Settings</li>
          <li aria-hidden="true">/</li>
          <li aria-current="page" className="text-zinc-700 dark:text-zinc-300">
            API tokens
          </li>
        </ol>
      </nav>
      <ApiTokensPanel
        initialTokens={tokens}
        renderedAt={Date.now()}
        me={principal.person.name}
        isAdmin={isAdmin}
        squads={teams ? teams.items.map((t) => ({ name: t.name, title: t.title, type: t.type })) : null}
      />
    </div>
  );
}
