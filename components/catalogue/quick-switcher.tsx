"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useState, useSyncExternalStore, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { focusRing } from "@/components/ui/focus-ring";
import { CompassIcon, SearchIcon, UsersIcon } from "@/components/ui/icons";
import { Kbd } from "@/components/ui/kbd";
import { fetchQuickSearch } from "@/components/api/catalogue";
import { entityHref, kindLabel } from "./entity-href";
import { KindIcon } from "./service-badges";

const debounceMs = 120;

type Option = { id: string; href: string; group: string; render: ReactNode; label: string };

const noop = () => () => {};
/** "⌘K" on Apple keyboards, "Ctrl K" elsewhere; "⌘K" while rendering on the server. */
function useShortcutLabel() {
  return useSyncExternalStore(
    noop,
    () => (/Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent) ? "⌘K" : "Ctrl K"),
    () => "⌘K",
  );
}

/** The search button in the top bar and the Cmd-K / Ctrl-K dialog that jumps to any service, API, resource or team. */
export function QuickSwitcher() {
  const [open, setOpen] = useState(false);
  const shortcut = useShortcutLabel();

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if ((event.metaKey || event.ctrlKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setOpen((o) => !o);
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-haspopup="dialog"
        aria-keyshortcuts="Meta+K Control+K"
        className={cn(
          "flex h-8 items-center gap-2 rounded-md text-[13px] text-zinc-500 ring-1 ring-inset ring-zinc-200 transition-colors hover:bg-zinc-50 hover:text-zinc-800 dark:text-zinc-400 dark:ring-zinc-800 dark:hover:bg-zinc-900 dark:hover:text-zinc-200",
          "w-8 justify-center sm:w-56 sm:justify-start sm:pr-1.5 sm:pl-2.5 lg:w-64",
          focusRing,
        )}
      >
        <SearchIcon size={15} />
        <span className="hidden flex-1 text-left sm:inline">Jump to…</span>
        <span className="sr-only sm:hidden">Search</span>
        <Kbd className="max-sm:hidden">{shortcut}</Kbd>
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} label="Jump to a service, API, resource or team" placement="top">
        {open ? <SwitcherPanel onDone={() => setOpen(false)} /> : null}
      </Dialog>
    </>
  );
}

function SwitcherPanel({ onDone }: { onDone: () => void }) {
  const router = useRouter();
  const id = useId();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const [active, setActive] = useState(0);

  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), debounceMs);
    return () => clearTimeout(timer);
  }, [text]);

  const search = useQuery({
    queryKey: ["quick-search", q],
    queryFn: ({ signal }) => fetchQuickSearch(q, signal),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

  const groups = useMemo(() => {
    if (!q) {
      return [
        {
          title: "Go to",
          options: [
            {
              id: "nav-catalogue",
              href: "/",
              group: "Go to",
              label: "Catalogue",
              render: <NavOption icon={<CompassIcon size={15} />} title="Catalogue" hint="Every service, API and resource" />,
            },
            {
              id: "nav-teams",
              href: "/teams",
              group: "Go to",
              label: "Teams",
              render: <NavOption icon={<UsersIcon size={15} />} title="Teams" hint="Tribes, squads and who is in them" />,
            },
          ] satisfies Option[],
        },
      ];
    }
    const data = search.data;
    if (!data) return [];
    const services: Option[] = data.services.flatMap((s) => {
      const href = entityHref(s.kind, s.name);
      if (!href) return [];
      return [
        {
          id: `svc-${s.kind}-${s.name}`,
          href,
          group: "Services",
          label: s.name,
          render: (
            <>
              <KindIcon kind={s.kind} size={15} className="shrink-0 text-zinc-400 dark:text-zinc-500" />
              <span className="shrink-0 font-mono text-[13px] font-medium whitespace-nowrap text-zinc-900 dark:text-zinc-100">{s.name}</span>
              {s.title ? <span className="min-w-0 truncate text-[13px] text-zinc-500 dark:text-zinc-400">{s.title}</span> : null}
              <span className="ml-auto flex shrink-0 items-center gap-2 pl-3 text-xs text-zinc-400 dark:text-zinc-500">
                {s.kind !== "component" ? <span>{kindLabel[s.kind]?.one}</span> : null}
                {s.team ? <span className="max-sm:hidden">{s.team}</span> : null}
              </span>
            </>
          ),
        },
      ];
    });
    const teams: Option[] = data.teams.map((t) => ({
      id: `team-${t.name}`,
      href: `/teams/${encodeURIComponent(t.name)}`,
      group: "Teams",
      label: t.title ?? t.name,
      render: (
        <>
          <UsersIcon size={15} className="shrink-0 text-zinc-400 dark:text-zinc-500" />
          <span className="shrink-0 text-[13px] font-medium whitespace-nowrap text-zinc-900 dark:text-zinc-100">{t.title ?? t.name}</span>
          {t.title ? <span className="min-w-0 truncate font-mono text-xs text-zinc-500 dark:text-zinc-400">{t.name}</span> : null}
          <span className="ml-auto shrink-0 pl-3 text-xs text-zinc-400 capitalize dark:text-zinc-500">{t.type}</span>
        </>
      ),
    }));
    return [
      { title: "Services", options: services },
      { title: "Teams", options: teams },
    ].filter((g) => g.options.length > 0);
  }, [q, search.data]);

  const options = useMemo(() => groups.flatMap((g) => g.options), [groups]);
  useEffect(() => setActive(0), [options]);

  const activeOption = options[Math.min(active, options.length - 1)];
  const optionId = (o: Option) => `${id}-${o.id}`;

  useEffect(() => {
    if (activeOption) document.getElementById(`${id}-${activeOption.id}`)?.scrollIntoView({ block: "nearest" });
  }, [activeOption, id]);

  const go = (option: Option | undefined) => {
    if (!option) return;
    onDone();
    router.push(option.href);
  };

  const listId = `${id}-list`;
  const waiting = text.trim() !== q || (search.isFetching && !search.isPlaceholderData && !search.data);
  const empty = q && search.data && options.length === 0 && !waiting;

  return (
    <div className="flex max-h-[70vh] flex-col">
      <div className="flex items-center gap-2.5 border-b border-zinc-200 px-4 dark:border-zinc-800">
        <SearchIcon size={17} className="shrink-0 text-zinc-400" />
        <input
          autoFocus
          role="combobox"
          aria-expanded={options.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={activeOption ? optionId(activeOption) : undefined}
          aria-label="Search services, APIs, resources and teams"
          placeholder="Search services, APIs, resources and teams…"
          autoComplete="off"
          spellCheck={false}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
              event.preventDefault();
              if (!options.length) return;
              const step = event.key === "ArrowDown" ? 1 : -1;
              setActive((a) => (a + step + options.length) % options.length);
            } else if (event.key === "Enter") {
              event.preventDefault();
              go(activeOption);
            }
          }}
          className="h-12 w-full min-w-0 bg-transparent text-[15px] text-zinc-900 outline-none placeholder:text-zinc-400 dark:text-zinc-100 dark:placeholder:text-zinc-500"
        />
        <Kbd className="shrink-0">Esc</Kbd>
      </div>

      <div id={listId} role="listbox" aria-label="Results" className="min-h-0 flex-1 overflow-y-auto p-1.5">
        {groups.map((group) => (
          <div key={group.title} role="group" aria-labelledby={`${id}-${group.title}`} className="pb-1">
            <div
              id={`${id}-${group.title}`}
              role="presentation"
              className="px-2.5 pt-2 pb-1 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400"
            >
              {group.title}
            </div>
            {group.options.map((option) => {
              const selected = option === activeOption;
              return (
                <div
                  key={option.id}
                  id={optionId(option)}
                  role="option"
                  aria-selected={selected}
                  aria-label={option.label}
                  onMouseMove={() => setActive(options.indexOf(option))}
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => go(option)}
                  className={cn("flex h-9 cursor-pointer items-center gap-2.5 rounded-md px-2.5", selected ? "bg-zinc-100 dark:bg-zinc-800" : "")}
                >
                  {option.render}
                </div>
              );
            })}
          </div>
        ))}
        {empty ? (
          <p className="px-3 py-8 text-center text-[13px] text-zinc-500 dark:text-zinc-400">
            Nothing matches <span className="font-mono text-zinc-700 dark:text-zinc-300">“{q}”</span>.
          </p>
        ) : null}
        {search.isError && q ? (
          <p role="alert" className="px-3 py-8 text-center text-[13px] text-red-600 dark:text-red-400">
            {search.error instanceof Error ? search.error.message : "The search failed."}
          </p>
        ) : null}
        {waiting && q && !search.data ? <p className="px-3 py-8 text-center text-[13px] text-zinc-400">Searching…</p> : null}
      </div>

      <div className="flex items-center gap-4 border-t border-zinc-200 bg-zinc-50/80 px-4 py-2 max-sm:hidden text-[11px] text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
        <span className="flex items-center gap-1">
          <Kbd>↑</Kbd>
          <Kbd>↓</Kbd> to navigate
        </span>
        <span className="flex items-center gap-1">
          <Kbd>↵</Kbd> to open
        </span>
        <span className="flex items-center gap-1">
          <Kbd>Esc</Kbd> to close
        </span>
      </div>
    </div>
  );
}

function NavOption({ icon, title, hint }: { icon: ReactNode; title: string; hint: string }) {
  return (
    <>
      <span className="shrink-0 text-zinc-400 dark:text-zinc-500">{icon}</span>
      <span className="text-[13px] font-medium text-zinc-900 dark:text-zinc-100">{title}</span>
      <span className="truncate text-[13px] text-zinc-500 dark:text-zinc-400">{hint}</span>
    </>
  );
}
