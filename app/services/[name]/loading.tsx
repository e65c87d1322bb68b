import { Skeleton } from "@/components/ui/skeleton";

/**
 * A tab of a service, API or resource while it loads, under the header the layout has already drawn. It sits below
 * the layout (not in app/services/) so the layout can still answer a missing name with a real 404.
 */
export default function Loading() {
  return (
    <div className="grid grid-cols-1 gap-5 lg:grid-cols-[minmax(0,1fr)_320px]" aria-busy="true" aria-label="Loading">
      <div className="space-y-5">
        <Skeleton className="hidden h-72 rounded-lg xl:block" />
        <div className="grid grid-cols-1 gap-5 md:grid-cols-2">
          <Skeleton className="h-40 rounded-lg" />
          <Skeleton className="h-40 rounded-lg" />
        </div>
      </div>
      <div className="space-y-5 max-lg:order-first">
        <Skeleton className="h-36 rounded-lg" />
        <Skeleton className="h-32 rounded-lg" />
      </div>
    </div>
  );
}
