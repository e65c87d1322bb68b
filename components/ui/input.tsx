import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

/** A text input; `leading` and `trailing` hold an icon or a hint inside the field. */
export function Input({
  leading,
  trailing,
  className,
  inputClassName,
  size = "md",
  ...props
}: Omit<ComponentProps<"input">, "size"> & { leading?: ReactNode; trailing?: ReactNode; inputClassName?: string; size?: "md" | "lg" }) {
  return (
    <div
      className={cn(
        "group relative flex items-center rounded-md bg-white ring-1 ring-inset ring-zinc-300 transition-shadow focus-within:ring-2 focus-within:ring-indigo-500 dark:bg-zinc-900 dark:ring-zinc-700 dark:focus-within:ring-indigo-400",
        size === "lg" ? "h-10" : "h-8",
        className,
      )}
    >
      {leading ? <span className="pointer-events-none flex pl-2.5 text-zinc-400 dark:text-zinc-500">{leading}</span> : null}
      <input
        className={cn(
          "h-full w-full min-w-0 bg-transparent px-2.5 text-zinc-900 outline-none placeholder:text-zinc-400 dark:text-zinc-100 dark:placeholder:text-zinc-500 [&::-webkit-search-cancel-button]:hidden",
          size === "lg" ? "text-[15px]" : "text-sm",
          inputClassName,
        )}
        {...props}
      />
      {trailing ? <span className="flex shrink-0 items-center gap-1 pr-2">{trailing}</span> : null}
    </div>
  );
}
