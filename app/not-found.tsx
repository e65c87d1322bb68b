import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { CompassIcon } from "@/components/ui/icons";
import { Kbd } from "@/components/ui/kbd";

export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <div className="mx-auto flex max-w-lg flex-col items-center px-6 py-24 text-center">
      <div className="mb-4 flex size-11 items-center justify-center rounded-xl border border-zinc-200 bg-white text-zinc-400 shadow-xs dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-500">
        <CompassIcon size={20} />
      </div>
      <p className="font-mono text-xs font-medium text-indigo-600 dark:text-indigo-400">404</p>
      <h1 className="mt-1 text-lg font-semibold text-zinc-900 dark:text-zinc-50">Nothing in the catalogue by that name</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        It may have been renamed or removed from its descriptor, or the link has a typo. Search the catalogue, or press{" "}
        <Kbd>⌘K</Kbd> to jump to a service or team.
      </p>
      <div className="mt-6 flex gap-2">
        <Link href="/" className={buttonClass({ variant: "primary" })}>
          Search the catalogue
        </Link>
        <Link href="/teams" className={buttonClass()}>
          Browse teams
        </Link>
      </div>
    </div>
  );
}
