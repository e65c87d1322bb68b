"use client";
import { useDeferredValue, useId, useMemo, useState, type FormEvent } from "react";
import { problemMessage, problemOf } from "@/components/api/client";
import { primaryRole, roleLines, roleTone, type PersonSummary, type PrimaryRole } from "./describe-person";
import { InitialsAvatar } from "./initials-avatar";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { ChevronRightIcon, SearchIcon, XIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { Alert } from "./ui/alert";
import { Spinner } from "./ui/spinner";

const groups: Array<{ role: PrimaryRole; title: string; caption: string }> = [
  { role: "admin", title: "Admins", caption: "Everything, including squad tokens and change freezes." },
  { role: "approver", title: "Approvers", caption: "Approve production checkpoints for the squads they cover." },
  { role: "engineer", title: "Engineers", caption: "Request rollouts and edit their squad's services." },
  { role: "viewer", title: "Viewers", caption: "Read-only: the catalogue and the audit trail." },
];

function matches(person: PersonSummary, words: string[]): boolean {
  const haystack = [
    person.name,
    person.displayName ?? "",
    person.email ?? "",
    ...person.teams,
    ...(person.approverTeams ?? []),
    ...roleLines(person).map((l) => l.label),
  ]
    .join(" ")
    .toLowerCase();
  return words.every((w) => haystack.includes(w));
}

/** Where the browser goes after signing in: only paths on this site, like the server's own rule. */
function safePath(path: string): string {
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\") ? path : "/";
}

/**
 * The demo people, grouped by role, each a one-click form post to /api/auth/demo. With JavaScript the post is
 * sent by fetch so a refusal (rate limit, unknown person) is shown here instead of as a raw problem document.
 */
export function DemoPeoplePicker({ people, returnTo, current }: { people: PersonSummary[]; returnTo: string; current?: string | null }) {
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query);
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const searchId = useId();

  const visible = useMemo(() => {
    const words = deferred.toLowerCase().split(/\s+/).filter(Boolean);
    return words.length ? people.filter((p) => matches(p, words)) : people;
  }, [people, deferred]);

  async function signIn(event: FormEvent<HTMLFormElement>, person: string) {
    event.preventDefault();
    const form = event.currentTarget;
    setPending(person);
    setError(null);
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new URLSearchParams({ person, returnTo }),
        credentials: "same-origin",
        redirect: "manual",
      });
      // Success is a 303 to returnTo, which arrives as an opaque redirect; its cookies are already set.
      if (response.type === "opaqueredirect" || response.ok) {
        window.location.assign(safePath(returnTo));
        return;
      }
      setError(problemMessage(await problemOf(response)));
    } catch {
      setError("Slipway could not be reached. Check your connection and try again.");
    }
    setPending(null);
  }

  return (
    <div>
      {error ? (
        <Alert tone="danger" title="Could not sign you in" className="mb-4">
          {error}
        </Alert>
      ) : null}

      <label htmlFor={searchId} className="sr-only">
        Find a person
      </label>
      <Input
        id={searchId}
        type="search"
        size="lg"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder="Find by name, squad or role…"
        autoComplete="off"
        spellCheck={false}
        leading={<SearchIcon size={16} />}
        trailing={
          query ? (
            <button
              type="button"
              onClick={() => setQuery("")}
              className={cn("rounded p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 dark:hover:bg-zinc-800 dark:hover:text-zinc-200", focusRing)}
              aria-label="Clear search"
            >
              <XIcon size={14} />
            </button>
          ) : null
        }
      />
      <p className="sr-only" aria-live="polite">
        {visible.length} of {people.length} people shown
      </p>

      {visible.length === 0 ? (
        <div className="mt-6 rounded-lg border border-dashed border-zinc-300 px-4 py-10 text-center dark:border-zinc-700">
          <p className="text-sm font-medium text-zinc-900 dark:text-zinc-100">No one matches “{query.trim()}”</p>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">Try a first name, a squad such as “cards”, or a role such as “approver”.</p>
        </div>
      ) : null}

      <div className="mt-2">
        {groups.map((group) => {
          const members = visible.filter((p) => primaryRole(p) === group.role);
          if (!members.length) return null;
          return (
            <section key={group.role} aria-labelledby={`${searchId}-${group.role}`} className="mt-6">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5 px-1">
                <h2 id={`${searchId}-${group.role}`} className="text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
                  {group.title} <span className="font-normal text-zinc-400 dark:text-zinc-500">· {members.length}</span>
                </h2>
                <p className="text-xs text-zinc-500 dark:text-zinc-400">{group.caption}</p>
              </div>
              <ul className="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-2">
                {members.map((person) => (
                  <li key={person.name} className="min-w-0">
                    <PersonCard person={person} returnTo={returnTo} pending={pending} current={person.name === current} onSubmit={signIn} />
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </div>
  );
}

/** The role lines worth reading on a card: the admin badge already says "admin". */
function describe(lines: Array<{ role: PrimaryRole; label: string }>): string {
  const rest = lines.filter((l) => l.role !== "admin").map((l) => l.label);
  return rest.length ? rest.join(" · ") : "Full access";
}

function PersonCard({
  person,
  returnTo,
  pending,
  current,
  onSubmit,
}: {
  person: PersonSummary;
  returnTo: string;
  pending: string | null;
  current: boolean;
  onSubmit: (event: FormEvent<HTMLFormElement>, person: string) => void;
}) {
  const lines = roleLines(person);
  const role = primaryRole(person);
  const busy = pending === person.name;
  return (
    <form method="post" action="/api/auth/demo" className="h-full" onSubmit={(e) => onSubmit(e, person.name)}>
      <input type="hidden" name="person" value={person.name} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <button
        type="submit"
        disabled={pending !== null}
        className={cn(
          "group flex h-full w-full items-center gap-3 rounded-lg border bg-white px-3 py-2.5 text-left transition",
          "border-zinc-200 hover:border-indigo-300 hover:bg-indigo-50/40 hover:shadow-sm",
          focusRing,
          "dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-indigo-500/50 dark:hover:bg-indigo-500/5",
          "disabled:cursor-wait",
          pending !== null && !busy && "opacity-50",
          busy && "border-indigo-400 bg-indigo-50/60 dark:border-indigo-500/60 dark:bg-indigo-500/10",
        )}
      >
        <InitialsAvatar name={person.name} displayName={person.displayName} />
        <span className="min-w-0 flex-1">
          <span className="flex min-w-0 items-center gap-2">
            <span className="truncate text-sm font-medium text-zinc-900 dark:text-zinc-100">{person.displayName ?? person.name}</span>
            {role !== "engineer" ? <Badge tone={roleTone[role]}>{role}</Badge> : null}
            {current ? <Badge tone="green">signed in</Badge> : null}
          </span>
          <span className="block truncate font-mono text-[11px] text-zinc-500 dark:text-zinc-400">{person.name}</span>
          <span className="mt-0.5 block text-xs leading-snug text-zinc-600 dark:text-zinc-300">{describe(lines)}</span>
        </span>
        <span className="shrink-0 text-zinc-300 transition group-hover:translate-x-0.5 group-hover:text-indigo-500 dark:text-zinc-600">
          {busy ? <Spinner className="text-indigo-500" /> : <ChevronRightIcon size={16} />}
        </span>
      </button>
    </form>
  );
}
