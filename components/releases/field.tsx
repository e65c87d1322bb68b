import type { ComponentProps, ReactNode } from "react";
import { cn } from "@/components/ui/cn";

/** A multi-line text field dressed like components/ui/input (there is no textarea primitive yet). */
export function Textarea({ className, ...props }: ComponentProps<"textarea">) {
  return (
    <textarea
      className={cn(
        "block w-full resize-y rounded-md bg-white px-2.5 py-1.5 text-sm text-zinc-900 ring-1 ring-inset ring-zinc-300 outline-none placeholder:text-zinc-400 focus:ring-2 focus:ring-indigo-500 disabled:cursor-not-allowed disabled:bg-zinc-50 disabled:text-zinc-400 aria-invalid:ring-red-500 dark:bg-zinc-900 dark:text-zinc-100 dark:ring-zinc-700 dark:placeholder:text-zinc-500 dark:focus:ring-indigo-400 dark:disabled:bg-zinc-900/40 dark:aria-invalid:ring-red-400",
        className,
      )}
      {...props}
    />
  );
}

export function FieldLabel({ htmlFor, children, hint }: { htmlFor: string; children: ReactNode; hint?: ReactNode }) {
  return (
    <label htmlFor={htmlFor} className="mb-1 flex items-baseline justify-between gap-2 text-[13px] font-medium text-zinc-800 dark:text-zinc-200">
      <span>{children}</span>
      {hint ? <span className="text-xs font-normal text-zinc-500 dark:text-zinc-400">{hint}</span> : null}
    </label>
  );
}

/** A problem the server reported, read out when it appears. */
export function FormError({ id, children }: { id?: string; children: ReactNode }) {
  if (!children) return null;
  return (
    <p
      id={id}
      role="alert"
      className="mt-2 rounded-md bg-red-50 px-2.5 py-1.5 text-[13px] text-red-800 ring-1 ring-inset ring-red-200 dark:bg-red-500/10 dark:text-red-200 dark:ring-red-500/30"
    >
      {children}
    </p>
  );
}

/** A spinning ring for buttons that wait on the server. */
export function Spinner({ className }: { className?: string }) {
  return <span aria-hidden className={cn("inline-block size-3.5 animate-spin rounded-full border-2 border-current border-r-transparent", className)} />;
}

const toneBase =
  "inline-flex shrink-0 items-center justify-center font-medium whitespace-nowrap transition-colors disabled:pointer-events-none disabled:opacity-50 outline-none focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:focus-visible:outline-indigo-400";

const tones = {
  /** Approve is the one green action. */
  approve: "bg-emerald-700 text-white shadow-sm hover:bg-emerald-800 active:bg-emerald-900 dark:bg-emerald-700 dark:hover:bg-emerald-600",
  /** Reject, abort, roll back: a red outline, so the colour says what the button does. */
  danger:
    "bg-white text-red-700 shadow-xs ring-1 ring-inset ring-red-300 hover:bg-red-50 dark:bg-zinc-900 dark:text-red-300 dark:ring-red-500/40 dark:hover:bg-red-500/10",
  /** The confirming button of a destructive dialog, and "Roll back" on a failed rollout. */
  dangerSolid: "bg-red-600 text-white shadow-sm hover:bg-red-500 active:bg-red-700 dark:bg-red-500 dark:hover:bg-red-400",
} as const;

const toneSizes = { sm: "h-7 gap-1.5 rounded-md px-2 text-[13px]", md: "h-8 gap-2 rounded-md px-3 text-sm" } as const;

/** Button classes in a tone components/ui/button does not have (its variants' colours would fight these). */
export function toneButtonClass(tone: keyof typeof tones, size: "sm" | "md" = "md", className?: string): string {
  return cn(toneBase, tones[tone], toneSizes[size], className);
}

/** A button in one of those tones. */
export function ToneButton({
  tone,
  size = "md",
  className,
  type = "button",
  ...props
}: ComponentProps<"button"> & { tone: keyof typeof tones; size?: "sm" | "md" }) {
  return <button type={type} className={toneButtonClass(tone, size, className)} {...props} />;
}
