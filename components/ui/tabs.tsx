"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "./cn";
import { focusRing } from "./focus-ring";

export type Tab = { href: string; label: string; count?: number };

/**
 * A row of tabs that are links, so each tab is its own URL (`/services/x`, `/services/x/runtime`, ...).
 * The tab whose href is the current path is the active one.
 */
export function TabBar({ tabs, label, className }: { tabs: Tab[]; label: string; className?: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className={cn("border-b border-zinc-200 dark:border-zinc-800", className)}>
      <ul className="-mb-px flex gap-5 overflow-x-auto">
        {tabs.map((tab) => {
          const active = pathname === tab.href;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "inline-flex h-9 items-center gap-1.5 border-b-2 text-[13px] font-medium whitespace-nowrap transition-colors",
                  focusRing,
                  active
                    ? "border-indigo-600 text-zinc-900 dark:border-indigo-400 dark:text-zinc-50"
                    : "border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-800 dark:text-zinc-400 dark:hover:border-zinc-600 dark:hover:text-zinc-200",
                )}
              >
                {tab.label}
                {tab.count !== undefined ? (
                  <span className="rounded bg-zinc-100 px-1 text-[11px] text-zinc-500 tabular-nums dark:bg-zinc-800 dark:text-zinc-400">{tab.count}</span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
