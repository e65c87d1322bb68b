"use client";

import { useEffect } from "react";
import Link from "next/link";
import { Button, buttonClass } from "@/components/ui/button";
import { AlertIcon } from "@/components/ui/icons";

/** A page failed to render. In production the message is generic and the digest matches the server's log line. */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;

  return (
    <div className="mx-auto flex max-w-lg flex-col items-center px-6 py-24 text-center">
      <div className="mb-4 flex size-11 items-center justify-center rounded-xl border border-red-200 bg-red-50 text-red-600 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-400">
        <AlertIcon size={20} />
      </div>
      <h1 className="text-lg font-semibold text-zinc-900 dark:text-zinc-50">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        Slipway ran into a problem while preparing it. It may be temporary: try again. If it keeps happening, tell the platform team and quote the reference
        below.
      </p>
      {digest ? (
        <p className="mt-3 rounded bg-zinc-100 px-2 py-1 font-mono text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">Reference: {digest}</p>
      ) : null}
      <div className="mt-6 flex gap-2">
        <Button variant="primary" onClick={() => retry()}>
          Try again
        </Button>
        <Link href="/" className={buttonClass()}>
          Back to the catalogue
        </Link>
      </div>
    </div>
  );
}
