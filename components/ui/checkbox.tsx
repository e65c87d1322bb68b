import type { ComponentProps } from "react";
import { cn } from "./cn";
import { focusRing } from "./focus-ring";

export function Checkbox({ className, ...props }: Omit<ComponentProps<"input">, "type">) {
  return (
    <input
      type="checkbox"
      className={cn(
        "size-3.5 shrink-0 cursor-pointer rounded-sm border-zinc-300 accent-indigo-600 dark:accent-indigo-400 dark:[color-scheme:dark]",
        focusRing,
        className,
      )}
      {...props}
    />
  );
}
