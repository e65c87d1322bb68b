"use client";
import { useEffect, useState } from "react";
import { buttonClass, type ButtonSize, type ButtonVariant } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { CheckIcon, CopyIcon } from "@/components/ui/icons";

/** Clipboard API in a secure context, the old selection trick elsewhere (a plain-http intranet host). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection trick
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const copied = document.execCommand("copy");
  area.remove();
  return copied;
}

/** A labelled copy button for secrets and commands (the catalogue's icon-only one suits table cells). */
export function CopyTextButton({
  text,
  label = "Copy",
  variant = "secondary",
  size = "md",
  className,
  onCopied,
  iconOnly = false,
}: {
  text: string;
  /** A small square button for tight spots; `label` becomes its accessible name. */
  iconOnly?: boolean;
  label?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
  className?: string;
  onCopied?: () => void;
}) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  if (iconOnly) {
    return (
      <button
        type="button"
        aria-label={state === "copied" ? "Copied" : label}
        title={state === "copied" ? "Copied" : label}
        className={cn(
          "inline-flex size-6 items-center justify-center rounded text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 dark:text-zinc-500 dark:hover:bg-zinc-800 dark:hover:text-zinc-200",
          focusRing,
          className,
        )}
        onClick={async () => {
          const ok = await copyText(text);
          setState(ok ? "copied" : "failed");
          if (ok) onCopied?.();
        }}
      >
        {state === "copied" ? <CheckIcon size={14} className="text-emerald-600 dark:text-emerald-400" /> : <CopyIcon size={14} />}
        <span aria-live="polite" className="sr-only">
          {state === "copied" ? "Copied" : ""}
        </span>
      </button>
    );
  }
  return (
    <button
      type="button"
      className={buttonClass({ variant, size, className })}
      onClick={async () => {
        const ok = await copyText(text);
        setState(ok ? "copied" : "failed");
        if (ok) onCopied?.();
      }}
    >
      {state === "copied" ? <CheckIcon size={14} className={variant === "primary" ? "" : "text-emerald-600 dark:text-emerald-400"} /> : <CopyIcon size={14} />}
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Select and copy" : label}</span>
    </button>
  );
}
