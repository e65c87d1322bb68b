"use client";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { apiFetch, problemMessage, problemOf } from "@/components/api/client";
import { roleLines, roleTone, signInMethodLabel } from "./describe-person";
import { InitialsAvatar } from "./initials-avatar";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { BellIcon, ChevronDownIcon, KeyIcon, ScrollIcon, SignOutIcon } from "@/components/ui/icons";
import { Spinner } from "./ui/spinner";

export type UserMenuProps = {
  name: string;
  displayName: string | null;
  roles: string[];
  teams: string[];
  signInMethod: string;
  /** Squads an approver approves for; empty means all squads. */
  approverTeams?: string[];
};

const itemClass =
  "flex w-full items-center gap-2.5 rounded-md px-2.5 py-1.5 text-left text-[13px] text-zinc-700 outline-none hover:bg-zinc-100 hover:text-zinc-900 focus-visible:bg-zinc-100 focus-visible:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white dark:focus-visible:bg-zinc-800 dark:focus-visible:text-white";

/** The signed-in person in the header: who they are, what they may do, and the way out. */
export function UserMenu({ name, displayName, roles, teams, signInMethod, approverTeams = [] }: UserMenuProps) {
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();
  // Squads are listed on their own below, so the engineer role needs no squad list of its own here.
  const lines = roleLines({ name, displayName, roles, teams, approverTeams }).map((l) => (l.role === "engineer" ? { ...l, label: "Engineer" } : l));
  const shownName = displayName ?? name;

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  function onMenuKey(event: KeyboardEvent<HTMLDivElement>) {
    const items = Array.from(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? []);
    const index = items.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      event.preventDefault();
      items[(to + items.length) % items.length]?.focus();
    };
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
      trigger.current?.focus();
    } else if (event.key === "ArrowDown") move(index + 1);
    else if (event.key === "ArrowUp") move(index - 1);
    else if (event.key === "Home") move(0);
    else if (event.key === "End") move(items.length - 1);
    else if (event.key === "Tab") setOpen(false);
  }

  async function signOut() {
    setSigningOut(true);
    setError(null);
    try {
      const response = await apiFetch("/api/auth/signout", { method: "POST" });
      // 401: the session had already ended; either way the person is now signed out.
      if (response.ok || response.status === 401) {
        window.location.href = "/signin";
        return;
      }
      setError(problemMessage(await problemOf(response)));
    } catch {
      setError("Slipway could not be reached, so you are still signed in. Try again.");
    }
    setSigningOut(false);
  }

  return (
    <div ref={root} className="relative">
      <button
        ref={trigger}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
        className={cn(
          "flex h-8 items-center gap-1.5 rounded-full pr-1.5 pl-1 text-[13px] transition-colors hover:bg-zinc-100 dark:hover:bg-zinc-800",
          focusRing,
          open && "bg-zinc-100 dark:bg-zinc-800",
        )}
      >
        <InitialsAvatar name={name} displayName={displayName} size="sm" />
        {/* Named by its text (not an aria-label) so the name always contains what is shown. */}
        <span className="sr-only">Account menu for </span>
        <span className="block max-w-40 truncate font-medium text-zinc-800 max-sm:sr-only dark:text-zinc-100">{shownName}</span>
        <ChevronDownIcon size={14} className={cn("hidden text-zinc-500 transition-transform sm:block", open && "rotate-180")} />
      </button>

      {open ? (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          aria-label="Account"
          onKeyDown={onMenuKey}
          className="absolute right-0 z-50 mt-2 w-[min(20rem,calc(100vw-1.5rem))] origin-top-right rounded-xl border border-zinc-200 bg-white p-1.5 shadow-lg ring-1 ring-black/5 dark:border-zinc-800 dark:bg-zinc-900 dark:ring-white/5"
        >
          <div className="flex items-start gap-3 px-2.5 pt-2 pb-3">
            <InitialsAvatar name={name} displayName={displayName} size="lg" />
            <div className="min-w-0">
              <p className="truncate text-sm font-semibold text-zinc-900 dark:text-white">{shownName}</p>
              <p className="truncate font-mono text-xs text-zinc-500 dark:text-zinc-400">{name}</p>
              <p className="mt-1.5">
                <Badge tone={signInMethod === "demo" ? "amber" : "neutral"}>{signInMethodLabel(signInMethod)}</Badge>
              </p>
            </div>
          </div>

          <div className="space-y-2.5 border-t border-zinc-100 px-2.5 py-3 dark:border-zinc-800">
            <div>
              <p className="text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Roles</p>
              <ul className="mt-1.5 flex flex-wrap gap-1.5">
                {lines.map((line) => (
                  <li key={line.role}>
                    <Badge tone={roleTone[line.role]} className="max-w-full shrink whitespace-normal">
                      {line.label}
                    </Badge>
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <p className="text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Squads</p>
              {teams.length ? (
                <ul className="mt-1.5 flex flex-wrap gap-1.5">
                  {teams.map((team) => (
                    <li key={team}>
                      <Badge>{team}</Badge>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">Not a member of any squad.</p>
              )}
            </div>
          </div>

          <div className="border-t border-zinc-100 pt-1.5 dark:border-zinc-800">
            <a role="menuitem" href="/settings/tokens" className={itemClass}>
              <KeyIcon className="text-zinc-400" />
              API tokens
            </a>
            <a role="menuitem" href="/audit" className={itemClass}>
              <ScrollIcon className="text-zinc-400" />
              Audit trail
            </a>
            <a role="menuitem" href="/notifications/slack" className={itemClass}>
              <BellIcon className="text-zinc-400" />
              Chat messages
            </a>
            {roles.includes("admin") && (
              <a role="menuitem" href="/notifications" className={itemClass}>
                <BellIcon className="text-zinc-400" />
                Notification deliveries
              </a>
            )}
          </div>
          <div className="mt-1.5 border-t border-zinc-100 pt-1.5 dark:border-zinc-800">
            <button role="menuitem" type="button" onClick={signOut} disabled={signingOut} className={cn(itemClass, "disabled:opacity-60")}>
              {signingOut ? <Spinner className="text-zinc-400" /> : <SignOutIcon className="text-zinc-400" />}
              {signingOut ? "Signing out…" : "Sign out"}
            </button>
            {error ? (
              <p role="alert" className="px-2.5 pt-1 pb-2 text-xs text-red-600 dark:text-red-400">
                {error}
              </p>
            ) : null}
          </div>
        </div>
      ) : null}
    </div>
  );
}
