"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";

const links = [
  { href: "/", label: "Catalogue", match: (p: string) => p === "/" || /^\/(services|apis|resources)(\/|$)/.test(p) },
  { href: "/teams", label: "Teams", match: (p: string) => p.startsWith("/teams") },
  // On a phone the audit trail is one tap away in the account menu and on every service page.
  { href: "/audit", label: "Audit", match: (p: string) => p.startsWith("/audit"), signedIn: true, wide: true },
];

export function NavLinks({ signedIn = false }: { signedIn?: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main">
      <ul className="flex items-center gap-0.5">
        {links
          .filter((link) => signedIn || !link.signedIn)
          .map((link) => {
            const active = link.match(pathname);
            return (
              <li key={link.href} className={"wide" in link && link.wide ? "hidden sm:block" : undefined}>
                <Link
                  href={link.href}
                  aria-current={active ? "page" : undefined}
                  className={cn(
                    "flex h-8 items-center rounded-md px-2.5 text-[13px] font-medium transition-colors",
                    focusRing,
                    active
                      ? "bg-zinc-100 text-zinc-900 dark:bg-zinc-800/80 dark:text-zinc-50"
                      : "text-zinc-500 hover:bg-zinc-50 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-900 dark:hover:text-zinc-100",
                  )}
                >
                  {link.label}
                </Link>
              </li>
            );
          })}
      </ul>
    </nav>
  );
}
