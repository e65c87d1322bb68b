"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { TeamSummary } from "@/server/catalogue/contract";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { focusRing } from "@/components/ui/focus-ring";
import { SearchIcon, UsersIcon, XIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { Kbd } from "@/components/ui/kbd";
import { fetchTeamPage } from "@/components/api/catalogue";
import { ProblemPanel } from "./problem-panel";
import { buildTeamTree, flattenTeamTree, type TeamNode } from "./team-tree";

const debounceMs = 150;

function Highlight({ text, query }: { text: string; query: string }): ReactNode {
  const q = query.trim().toLowerCase();
  const at = q ? text.toLowerCase().indexOf(q) : -1;
  if (at < 0) return text;
  return (
    <>
      {text.slice(0, at)}
      <mark className="rounded-sm bg-amber-100 text-inherit dark:bg-amber-500/25">{text.slice(at, at + q.length)}</mark>
      {text.slice(at + q.length)}
    </>
  );
}

const typeTone = (type: string) => (type === "department" ? "indigo" : type === "tribe" ? "violet" : "neutral");

/**
 * Every team as a tree (department > tribes > squads) with member and service counts. Searching filters the tree
 * in the browser, keeping the path to each match; when the organisation is too large to hold, it asks the server.
 */
export function TeamDirectory({ teams, complete, initialQuery }: { teams: TeamSummary[]; complete: boolean; initialQuery: string }) {
  const [text, setText] = useState(initialQuery);
  const [query, setQuery] = useState(initialQuery);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), debounceMs);
    return () => clearTimeout(timer);
  }, [text]);

  useEffect(() => {
    const search = query ? `?${new URLSearchParams({ q: query })}` : "";
    if (window.location.search !== search) window.history.replaceState(null, "", `${window.location.pathname}${search}`);
  }, [query]);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== "/" || event.metaKey || event.ctrlKey || event.altKey) return;
      const target = event.target as HTMLElement;
      if (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return;
      event.preventDefault();
      searchRef.current?.focus();
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  const tree = useMemo(() => buildTeamTree(teams), [teams]);
  const remote = useQuery({
    queryKey: ["teams", query],
    queryFn: ({ signal }) => fetchTeamPage(query, signal),
    enabled: !complete && query.length > 0,
    placeholderData: keepPreviousData,
  });

  const rows = useMemo(() => {
    if (!query) return flattenTeamTree(tree);
    if (complete) {
      const q = query.toLowerCase();
      return flattenTeamTree(tree, (t) => t.name.toLowerCase().includes(q) || (t.title ?? "").toLowerCase().includes(q));
    }
    // Too many teams to hold: the server's matches, each shown on its own with its parent.
    return (remote.data?.items ?? []).map((t) => ({
      node: { ...t, children: [], depth: 0, totalMembers: t.memberCount, totalServices: t.serviceCount },
      matched: true,
    }));
  }, [query, complete, tree, remote.data]);

  const matchCount = rows.filter((r) => r.matched).length;
  const clear = () => {
    setText("");
    setQuery("");
    searchRef.current?.focus();
  };

  return (
    <div className="mx-auto max-w-[1100px] px-4 py-6 md:px-6">
      <header className="mb-5">
        <h1 className="text-xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">Teams</h1>
        <p className="mt-0.5 text-[13px] text-zinc-500 dark:text-zinc-400">Tribes and squads: who is in them, what they own and how to reach them.</p>
      </header>

      <div className="mb-3 flex flex-wrap items-center gap-3">
        <Input
          ref={searchRef}
          type="search"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape" && text) {
              event.preventDefault();
              clear();
            }
          }}
          placeholder="Search teams…"
          aria-label="Search teams"
          autoComplete="off"
          spellCheck={false}
          className="w-full sm:max-w-sm"
          leading={<SearchIcon size={15} />}
          trailing={
            text ? (
              <button
                type="button"
                aria-label="Clear search"
                onClick={clear}
                className={cn("rounded p-0.5 text-zinc-400 hover:text-zinc-700 dark:hover:text-zinc-200", focusRing)}
              >
                <XIcon size={14} />
              </button>
            ) : (
              <Kbd className="max-sm:hidden">/</Kbd>
            )
          }
        />
        <p className="text-[13px] text-zinc-500 tabular-nums sm:ml-auto dark:text-zinc-400" aria-live="polite">
          {query ? `${matchCount} of ${teams.length}${complete ? "" : "+"} teams` : `${teams.length.toLocaleString("en-GB")}${complete ? "" : "+"} teams`}
        </p>
      </div>

      <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/40">
        {remote.isError && !complete ? (
          <ProblemPanel error={remote.error} onRetry={() => void remote.refetch()} returnTo="/teams" />
        ) : rows.length === 0 ? (
          <EmptyState
            icon={<UsersIcon size={18} />}
            title={query ? <>No team matches “{query}”</> : "No teams yet"}
            description={query ? "Search by the team’s name or its title." : "Import Backstage Group descriptors to add your organisation."}
            action={
              query ? (
                <button type="button" onClick={clear} className={buttonClass({ size: "sm" })}>
                  Clear search
                </button>
              ) : undefined
            }
          />
        ) : (
          <table className="w-full border-collapse text-[13px]">
            <caption className="sr-only">Teams, nested under their parent team</caption>
            <thead>
              <tr className="border-b border-zinc-200 text-left text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
                <th scope="col" className="py-2 pr-3 pl-4 font-medium">
                  Team
                </th>
                <th scope="col" className="hidden w-32 px-3 py-2 font-medium sm:table-cell">
                  Type
                </th>
                <th scope="col" className="w-24 px-3 py-2 text-right font-medium">
                  Members
                </th>
                <th scope="col" className="w-24 py-2 pr-4 pl-3 text-right font-medium">
                  Services
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ node, matched }) => (
                <TeamRow key={node.name} node={node} matched={matched} query={query} flat={!complete && !!query} />
              ))}
            </tbody>
          </table>
        )}
      </div>
      {!complete ? (
        <p className="mt-3 text-xs text-zinc-500 dark:text-zinc-400">
          The organisation has more than {teams.length.toLocaleString("en-GB")} teams: the tree shows the first of them; search finds any team.
        </p>
      ) : null}
    </div>
  );
}

function TeamRow({ node, matched, query, flat }: { node: TeamNode; matched: boolean; query: string; flat: boolean }) {
  const parent = node.children.length > 0;
  const title = node.title ?? node.name;
  return (
    <tr
      className={cn(
        "group relative border-b border-zinc-100 last:border-b-0 hover:bg-zinc-50 dark:border-zinc-800/70 dark:hover:bg-zinc-800/40",
        parent && node.depth === 0 && "bg-zinc-50/70 dark:bg-zinc-900/60",
      )}
    >
      <td className="py-2 pr-3 pl-4">
        <div className="flex min-w-0 items-center gap-2" style={{ paddingLeft: `${node.depth * 20}px` }}>
          <span
            className={cn(
              "flex size-6 shrink-0 items-center justify-center rounded text-[11px] font-semibold",
              parent
                ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-500/15 dark:text-indigo-300"
                : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300",
            )}
            aria-hidden
          >
            {title.slice(0, 1).toUpperCase()}
          </span>
          <div className="min-w-0">
            <Link
              href={`/teams/${encodeURIComponent(node.name)}`}
              className={cn(
                "block truncate after:absolute after:inset-0 hover:text-indigo-700 dark:hover:text-indigo-300",
                parent ? "font-semibold" : "font-medium",
                matched ? "text-zinc-900 dark:text-zinc-100" : "text-zinc-500 dark:text-zinc-400",
                focusRing,
              )}
            >
              <Highlight text={title} query={query} />
            </Link>
            <span className="block truncate font-mono text-[11px] text-zinc-500 dark:text-zinc-400">
              <Highlight text={node.name} query={query} />
              {flat && node.parent ? <span className="font-sans"> · in {node.parent}</span> : null}
            </span>
          </div>
        </div>
      </td>
      <td className="hidden px-3 py-2 sm:table-cell">
        <Badge tone={typeTone(node.type)} className="capitalize">
          {node.type}
        </Badge>
      </td>
      <td className="px-3 py-2 text-right tabular-nums">
        <Count direct={node.memberCount} total={node.totalMembers} parent={parent} what="memberships" />
      </td>
      <td className="py-2 pr-4 pl-3 text-right tabular-nums">
        <Count direct={node.serviceCount} total={node.totalServices} parent={parent} what="services" />
      </td>
    </tr>
  );
}

function Count({ direct, total, parent, what }: { direct: number; total: number; parent: boolean; what: string }) {
  if (parent && total !== direct) {
    return (
      <span className="text-zinc-500 dark:text-zinc-400" title={`${total} ${what} across the teams below (${direct} directly)`}>
        {total}
        <span className="sr-only"> {what} across the teams below</span>
      </span>
    );
  }
  return <span className={direct ? "text-zinc-800 dark:text-zinc-200" : "text-zinc-400 dark:text-zinc-600"}>{direct}</span>;
}
