import { Skeleton } from "@/components/ui/skeleton";

export function TeamDirectorySkeleton() {
  return (
    <div className="mx-auto max-w-[1100px] px-4 py-6 md:px-6">
      <span className="sr-only" role="status">
        Loading teams…
      </span>
      <Skeleton className="h-6 w-24" />
      <Skeleton className="mt-2 h-3.5 w-80 max-w-full" />
      <Skeleton className="mt-5 h-8 w-full max-w-sm rounded-md" />
      <div className="mt-3 divide-y divide-zinc-100 rounded-lg border border-zinc-200 dark:divide-zinc-800/70 dark:border-zinc-800">
        {Array.from({ length: 9 }, (_, i) => (
          <div key={i} className="flex items-center gap-3 px-4 py-3" style={{ paddingLeft: `${16 + (i === 0 ? 0 : i % 4 === 1 ? 20 : 40)}px` }}>
            <Skeleton className="size-6" />
            <Skeleton className="h-3.5 w-40" />
            <Skeleton className="ml-auto h-3.5 w-8" />
            <Skeleton className="h-3.5 w-8" />
          </div>
        ))}
      </div>
    </div>
  );
}

export function TeamPageSkeleton() {
  return (
    <div className="mx-auto max-w-[1440px] px-4 py-5 md:px-6">
      <span className="sr-only" role="status">
        Loading the team…
      </span>
      <Skeleton className="mb-4 h-3 w-56" />
      <div className="flex items-center gap-4">
        <Skeleton className="size-11 rounded-lg" />
        <div className="space-y-2">
          <Skeleton className="h-6 w-40" />
          <Skeleton className="h-3.5 w-96 max-w-full" />
        </div>
      </div>
      <div className="mt-6 grid grid-cols-1 gap-5 lg:grid-cols-[minmax(0,1fr)_320px]">
        <Skeleton className="h-80 rounded-lg" />
        <div className="space-y-5 max-lg:order-first">
          <Skeleton className="h-28 rounded-lg" />
          <Skeleton className="h-56 rounded-lg" />
        </div>
      </div>
    </div>
  );
}
