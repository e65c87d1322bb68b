import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div className="mx-auto max-w-[1440px] px-4 py-6 md:px-6" aria-busy="true" aria-label="Loading the audit trail">
      <Skeleton className="h-6 w-32" />
      <Skeleton className="mt-2 h-4 w-[min(40rem,85vw)]" />
      <Skeleton className="mt-6 h-16 w-full rounded-lg" />
      <Skeleton className="mt-5 h-28 w-full rounded-lg" />
      <div className="mt-7 overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
        <div className="h-9 border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900" />
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="flex items-center gap-6 border-t border-zinc-100 px-4 py-3 first:border-t-0 dark:border-zinc-800">
            <Skeleton className="h-4 w-36" />
            <Skeleton className="h-4 w-28" />
            <Skeleton className="hidden h-4 w-28 sm:block" />
            <Skeleton className="hidden h-4 w-40 md:block" />
            <Skeleton className="ml-auto hidden h-4 w-20 md:block" />
          </div>
        ))}
      </div>
    </div>
  );
}
