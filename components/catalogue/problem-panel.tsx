import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { AlertIcon } from "@/components/ui/icons";
import { ApiError } from "@/components/api/client";

/** Shows a failed request: the problem's `detail` (safe to show), and what the reader can do about it. */
export function ProblemPanel({ error, onRetry, returnTo }: { error: unknown; onRetry?: () => void; returnTo?: string }) {
  const problem = error instanceof ApiError ? error : null;
  const signIn = problem?.status === 401;
  return (
    <div role="alert" className="flex flex-col items-center px-6 py-12 text-center">
      <div className="mb-3 flex size-10 items-center justify-center rounded-lg border border-red-200 bg-red-50 text-red-600 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-400">
        <AlertIcon size={18} />
      </div>
      <h3 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">{signIn ? "You are signed out" : (problem?.title ?? "Something went wrong")}</h3>
      <p className="mt-1 max-w-md text-[13px] text-zinc-600 dark:text-zinc-400">
        {signIn
          ? "Your session has ended. Sign in again to carry on where you were."
          : (problem?.detail ?? (error instanceof Error ? error.message : "The request failed."))}
      </p>
      <div className="mt-4 flex gap-2">
        {signIn ? (
          <Link href={`/signin?returnTo=${encodeURIComponent(returnTo ?? "/")}`} className={buttonClass({ variant: "primary", size: "sm" })}>
            Sign in
          </Link>
        ) : null}
        {onRetry && !signIn ? (
          <button type="button" onClick={onRetry} className={buttonClass({ size: "sm" })}>
            Try again
          </button>
        ) : null}
      </div>
    </div>
  );
}
