import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";

// components/ui/button has no destructive variant yet; these match its shapes (h-7/h-8, rounded-md).

/** The confirming button of a destructive action. */
export function dangerButtonClass(size: "sm" | "md" = "md", className?: string): string {
  return cn(
    "inline-flex shrink-0 items-center justify-center font-medium whitespace-nowrap text-white shadow-sm transition-colors",
    "bg-red-600 hover:bg-red-500 active:bg-red-700 disabled:pointer-events-none disabled:opacity-60 dark:bg-red-600 dark:hover:bg-red-500",
    size === "sm" ? "h-7 gap-1.5 rounded-md px-2 text-[13px]" : "h-8 gap-2 rounded-md px-3 text-sm",
    focusRing,
    className,
  );
}

/** A quiet button that starts a destructive action (it opens a confirmation). */
export function dangerGhostButtonClass(className?: string): string {
  return cn(
    "inline-flex h-7 shrink-0 items-center justify-center gap-1.5 rounded-md px-2 text-[13px] font-medium whitespace-nowrap transition-colors",
    "text-red-600 hover:bg-red-50 hover:text-red-700 dark:text-red-400 dark:hover:bg-red-500/10 dark:hover:text-red-300",
    focusRing,
    className,
  );
}
