import type { ComponentProps } from "react";
import { cn } from "./cn";
import { focusRing } from "./focus-ring";
import { ChevronDownIcon } from "@/components/ui/icons";

/** A native select (keyboard and screen-reader behaviour for free) dressed like the other controls. */
export function Select({ className, children, ...props }: ComponentProps<"select">) {
  return (
    <div className={cn("relative inline-flex", className)}>
      <select
        className={cn(
          "h-7 w-full cursor-pointer appearance-none rounded-md bg-white pr-7 pl-2.5 text-[13px] font-medium text-zinc-800 shadow-xs ring-1 ring-inset ring-zinc-300 hover:bg-zinc-50 dark:bg-zinc-900 dark:text-zinc-200 dark:ring-zinc-700 dark:hover:bg-zinc-800 dark:[color-scheme:dark]",
          focusRing,
        )}
        {...props}
      >
        {children}
      </select>
      <ChevronDownIcon size={14} className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 text-zinc-400" />
    </div>
  );
}
