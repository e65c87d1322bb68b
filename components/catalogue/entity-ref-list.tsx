import Link from "next/link";
import type { EntityRef } from "@/server/catalogue/contract";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { entityHref, kindLabel } from "./entity-href";
import { KindIcon, LifecycleBadge, TierBadge } from "./service-badges";

const shownFirst = 10;

/**
 * Related entities as a compact list; ones the catalogue does not hold are greyed and say so. A long list (a core
 * service can have hundreds of dependents) shows the first few and folds the rest behind a native disclosure.
 */
export function EntityRefList({ refs, empty }: { refs: EntityRef[]; empty: string }) {
  if (!refs.length) return <p className="px-4 py-3 text-[13px] text-zinc-500 dark:text-zinc-400">{empty}</p>;
  const fold = refs.length > shownFirst + 2;
  const first = fold ? refs.slice(0, shownFirst) : refs;
  const rest = fold ? refs.slice(shownFirst) : [];
  return (
    <>
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
        {first.map((ref) => (
          <EntityRefItem key={`${ref.kind}:${ref.name}`} entity={ref} />
        ))}
      </ul>
      {fold ? (
        <details className="group border-t border-zinc-100 dark:border-zinc-800/70">
          <summary
            className={cn(
              "flex cursor-pointer list-none items-center gap-1 px-4 py-2 text-xs font-medium text-indigo-700 hover:underline group-open:hidden dark:text-indigo-300 [&::-webkit-details-marker]:hidden",
              focusRing,
            )}
          >
            Show all {refs.length}
          </summary>
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
            {rest.map((ref) => (
              <EntityRefItem key={`${ref.kind}:${ref.name}`} entity={ref} />
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}

function EntityRefItem({ entity }: { entity: EntityRef }) {
  const href = entity.exists ? entityHref(entity.kind, entity.name) : null;
  const kind = entity.kind !== "component" ? (kindLabel[entity.kind]?.one ?? entity.kind) : null;
  return (
    <li className={cn("relative flex items-center gap-3 px-4 py-2 text-[13px]", href && "hover:bg-zinc-50 dark:hover:bg-zinc-800/40")}>
      <KindIcon kind={entity.kind} className={cn("shrink-0", entity.exists ? "text-zinc-400 dark:text-zinc-500" : "text-zinc-300 dark:text-zinc-600")} />
      <div className="min-w-0 flex-1">
        <div className="flex min-w-0 items-baseline gap-2">
          {href ? (
            <Link
              href={href}
              className={cn(
                "truncate font-mono font-medium text-zinc-900 after:absolute after:inset-0 hover:text-indigo-700 dark:text-zinc-100 dark:hover:text-indigo-300",
                focusRing,
              )}
            >
              {entity.name}
            </Link>
          ) : (
            <span className="truncate font-mono text-zinc-400 line-through decoration-zinc-300 dark:text-zinc-500 dark:decoration-zinc-600">{entity.name}</span>
          )}
          {kind ? <span className="shrink-0 text-[11px] text-zinc-400 dark:text-zinc-500">{kind}</span> : null}
        </div>
        {entity.exists ? (
          entity.title || entity.team ? (
            <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">
              {entity.title}
              {entity.title && entity.team ? " · " : ""}
              {entity.team ? <span>{entity.team}</span> : null}
            </p>
          ) : null
        ) : (
          <p
            className="text-xs text-zinc-400 dark:text-zinc-500"
            title="The descriptor names this entity, but the catalogue holds nothing by that name: it may be misspelled, renamed, or not imported yet."
          >
            Not in the catalogue
          </p>
        )}
      </div>
      <div className="flex shrink-0 items-center gap-1.5">
        {entity.lifecycle && entity.lifecycle !== "production" ? <LifecycleBadge lifecycle={entity.lifecycle} /> : null}
        <TierBadge tier={entity.tier} />
      </div>
    </li>
  );
}
