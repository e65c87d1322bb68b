import { QuickSwitcher } from "@/components/catalogue/quick-switcher";
import { SignInButton, UserMenu } from "@/components/identity";
import { ApprovalsBadge } from "@/components/releases/approvals-badge";
import { currentPrincipal } from "@/server/identity";
import { slipway } from "@/server/composition";
import { checkpointInbox } from "@/server/releases";
import { NavLinks } from "./nav-links";
import { ThemeToggle } from "./theme-toggle";
import { Wordmark } from "./wordmark";

/** The header: what the signed-in person may reach, how many checkpoints wait for them, and who they are. */
export async function TopBar() {
  const principal = await currentPrincipal().catch(() => null);
  const person = principal?.person;
  const waiting = person
    ? await checkpointInbox(slipway().db, principal, { onlyMine: true })
        .then((i) => i.length)
        .catch(() => 0)
    : 0;
  return (
    <header className="sticky top-0 z-40 border-b border-zinc-200 bg-white/85 backdrop-blur supports-[backdrop-filter]:bg-white/75 dark:border-zinc-800 dark:bg-zinc-950/85 dark:supports-[backdrop-filter]:bg-zinc-950/70">
      <div className="mx-auto flex h-12 max-w-[1440px] items-center gap-2 px-4 sm:gap-3 md:gap-6 md:px-6">
        <Wordmark />
        <NavLinks signedIn={Boolean(person)} />
        <div className="ml-auto flex items-center gap-1 sm:gap-2">
          {person && <ApprovalsBadge initialCount={waiting} />}
          <QuickSwitcher />
          <ThemeToggle />
          {person && principal ? (
            <UserMenu
              name={person.name}
              displayName={person.displayName}
              roles={person.roles}
              teams={person.teams}
              signInMethod={principal.method}
              approverTeams={person.approverTeams}
            />
          ) : (
            <SignInButton />
          )}
        </div>
      </div>
    </header>
  );
}
