"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { CompassIcon } from "@/components/ui/icons";

type Missing = { what: string; name: string; hint: string; links: { href: string; label: string }[] };

const catalogueLinks = [
  { href: "/", label: "Search the catalogue" },
  { href: "/teams", label: "Browse teams" },
];

// Pages named after something that may not exist; any other unknown address gets the generic message.
const routes: { pattern: RegExp; missing: (name: string) => Missing }[] = [
  ...(
    [
      ["services", "service"],
      ["apis", "API"],
      ["resources", "resource"],
    ] as const
  ).map(([segment, what]) => ({
    pattern: new RegExp(`^/${segment}/([^/]+)(?:/(?:runtime|deploys))?/?$`),
    missing: (name: string) => ({
      what: `${what} named`,
      name,
      hint: "It may have been renamed or removed from its descriptor, or the link has a typo.",
      links: catalogueLinks,
    }),
  })),
  {
    pattern: /^\/teams\/([^/]+)\/?$/,
    missing: (name) => ({
      what: "team named",
      name,
      hint: "It may have been renamed or merged into another team, or the link has a typo.",
      links: catalogueLinks,
    }),
  },
  {
    pattern: /^\/rollouts\/([^/]+)\/?$/,
    missing: (name) => ({
      what: "rollout with the id",
      name,
      hint: "The link may be mistyped, or it points to a rollout from another Slipway.",
      links: [
        { href: "/approvals", label: "Open approvals" },
        { href: "/", label: "Back to the catalogue" },
      ],
    }),
  },
];

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function missingFromPath(pathname: string): Missing | null {
  for (const route of routes) {
    const match = route.pattern.exec(pathname);
    if (match) return route.missing(decode(match[1]!));
  }
  return null;
}

/** The 404 page: names what is missing when the address names a service, team or rollout, and stays generic otherwise. */
export function NotFoundMessage() {
  const missing = missingFromPath(usePathname() ?? "");
  const links = missing?.links ?? [{ href: "/", label: "Go to the start page" }];
  return (
    <div className="mx-auto flex max-w-lg flex-col items-center px-6 py-24 text-center">
      <div className="mb-4 flex size-11 items-center justify-center rounded-xl border border-zinc-200 bg-white text-zinc-500 shadow-xs dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
        <CompassIcon size={20} />
      </div>
      <p className="font-mono text-xs font-medium text-indigo-700 dark:text-indigo-300">404</p>
      <h1 className="mt-1 text-lg font-semibold text-balance text-zinc-900 dark:text-zinc-50">
        {missing ? (
          <>
            There is no {missing.what} <span className="[overflow-wrap:anywhere]">“{missing.name}”</span>
          </>
        ) : (
          "This page does not exist"
        )}
      </h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{missing ? missing.hint : "The address may be mistyped, or the page has moved."}</p>
      <div className="mt-6 flex flex-wrap justify-center gap-2">
        {links.map((link, i) => (
          <Link key={link.href} href={link.href} className={buttonClass(i === 0 ? { variant: "primary" } : {})}>
            {link.label}
          </Link>
        ))}
      </div>
    </div>
  );
}
