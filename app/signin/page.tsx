import type { Metadata } from "next";
import { DemoPeoplePicker } from "@/components/identity/demo-people-picker";
import { SlipwayWordmark } from "@/components/identity/slipway-wordmark";
import { Alert } from "@/components/identity/ui/alert";
import { LockIcon, AlertIcon, ArrowRightIcon } from "@/components/ui/icons";
import { buttonClass } from "@/components/ui/button";
import { currentPrincipal, demoSignInEnabled, listDemoPeople, safeReturnTo, signInErrorMessage } from "@/server/identity";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Sign-in needs no session: demo people to become on the embedded default, single sign-on everywhere else. */
export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const returnTo = safeReturnTo(first(params.returnTo));
  // A code from Slipway's own redirects, shown as Slipway's message: never text taken from the link.
  const error = signInErrorMessage(first(params.error));
  const demo = demoSignInEnabled();
  const [people, principal] = await Promise.all([demo ? listDemoPeople() : Promise.resolve([]), currentPrincipal()]);
  const signedInAs = principal ? (principal.person.displayName ?? principal.person.name) : null;

  return (
    <main className="relative isolate flex min-h-screen flex-col items-center overflow-hidden bg-zinc-50 px-4 pt-12 pb-16 sm:pt-20 dark:bg-zinc-950">
      <div aria-hidden="true" className="absolute inset-x-0 top-0 -z-10 h-80 bg-gradient-to-b from-indigo-100/70 to-transparent dark:from-indigo-500/10" />
      <div className={demo ? "w-full max-w-3xl" : "w-full max-w-md"}>
        <header className="flex flex-col items-center text-center">
          <SlipwayWordmark />
          <h1 className="mt-6 text-2xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">Sign in to Slipway</h1>
          <p className="mt-2 max-w-md text-sm text-zinc-600 dark:text-zinc-400">
            The developer portal for platform teams: services, releases and the audit trail behind them.
          </p>
        </header>

        <div className="mt-8 space-y-4">
          {error ? (
            <Alert tone="danger" title="Sign-in did not complete">
              {error}
            </Alert>
          ) : null}
          {signedInAs ? (
            <Alert
              tone="info"
              title={`You are signed in as ${signedInAs}.`}
              action={
                <a href={returnTo} className={buttonClass({ size: "sm" })}>
                  Continue
                  <ArrowRightIcon size={14} />
                </a>
              }
            >
              {demo ? "Pick someone below to switch person." : "Sign in again to switch account."}
            </Alert>
          ) : null}
        </div>

        {demo ? (
          <section
            aria-labelledby="demo-heading"
            className="mt-4 rounded-xl border border-zinc-200 bg-white p-4 shadow-sm sm:p-6 dark:border-zinc-800 dark:bg-zinc-900/60"
          >
            <div className="flex gap-3 rounded-lg border border-amber-200 bg-amber-50 px-3.5 py-2.5 text-[13px] text-amber-950 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-100">
              <AlertIcon size={16} className="mt-0.5 shrink-0 text-amber-600 dark:text-amber-400" />
              <div>
                <h2 id="demo-heading" className="font-semibold">
                  Demo mode: anyone can become anyone.
                </h2>
                <p className="mt-0.5 opacity-90">Not available when single sign-on is configured.</p>
              </div>
            </div>
            {people.length ? (
              <div className="mt-5">
                <DemoPeoplePicker
                  returnTo={returnTo}
                  current={principal?.person.name ?? null}
                  people={people.map((p) => ({
                    name: p.name,
                    displayName: p.displayName,
                    email: p.email,
                    roles: p.roles,
                    teams: p.teams,
                    approverTeams: p.approverTeams,
                  }))}
                />
              </div>
            ) : (
              <p className="mt-6 mb-2 text-center text-sm text-zinc-600 dark:text-zinc-400">
                There is no one to sign in as yet. Import a catalogue with people in it, then reload this page.
              </p>
            )}
          </section>
        ) : (
          <section className="mt-4 rounded-xl border border-zinc-200 bg-white p-6 shadow-sm sm:p-8 dark:border-zinc-800 dark:bg-zinc-900/60">
            <div className="flex flex-col items-center text-center">
              <span className="flex size-11 items-center justify-center rounded-full bg-indigo-50 text-indigo-600 dark:bg-indigo-500/10 dark:text-indigo-300">
                <LockIcon size={20} />
              </span>
              <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
                Use your organisation account. You will come back here signed in, with the roles your groups grant.
              </p>
              <a
                href={`/api/auth/signin?returnTo=${encodeURIComponent(returnTo)}`}
                className={buttonClass({ variant: "primary", className: "mt-6 h-10! w-full" })}
              >
                Sign in with single sign-on
              </a>
            </div>
          </section>
        )}

        <p className="mt-6 text-center text-xs text-zinc-500 dark:text-zinc-500">Every sign-in and sign-out is recorded in the audit trail.</p>
      </div>
    </main>
  );
}
