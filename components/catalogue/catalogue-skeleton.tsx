import { Skeleton } from "@/components/ui/skeleton";

const widths = ["w-40", "w-28", "w-52", "w-36", "w-44", "w-32", "w-48", "w-24", "w-40", "w-36"];

export function ServiceTableSkeleton({ rows = 10 }: { rows?: number }) {
  return (
    <div aria-hidden className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-start gap-6 px-4 py-3">
          <div className="min-w-0 flex-1 space-y-2">
            <Skeleton className={`h-3.5 ${widths[i % widths.length]}`} />
            <Skeleton className="h-3 w-full max-w-lg" />
          </div>
          <Skeleton className="hidden h-3.5 w-20 md:block" />
          <Skeleton className="hidden h-4 w-12 md:block" />
          <Skeleton className="hidden h-3.5 w-16 md:block" />
          <div className="hidden w-52 gap-1 lg:flex">
            <Skeleton className="h-4 w-10" />
            <Skeleton className="h-4 w-12" />
            <Skeleton className="h-4 w-9" />
          </div>
        </div>
      ))}
    </div>
  );
}

function FacetSkeleton({ rows }: { rows: number }) {
  return (
    <div className="space-y-2">
      <Skeleton className="h-3 w-16" />
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-center gap-2 px-1.5">
          <Skeleton className="size-3.5" />
          <Skeleton className={`h-3 ${widths[(i + 3) % widths.length]} max-w-[60%]`} />
          <Skeleton className="ml-auto h-3 w-5" />
        </div>
      ))}
    </div>
  );
}
