"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { cn } from "./cn";

const focusable = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog on the native <dialog> element: the page behind is inert, Escape closes it, Tab cycles inside it
 * and focus returns to where it was when it closes. The parent owns `open`.
 */
export function Dialog({
  open,
  onClose,
  label,
  labelledBy,
  children,
  className,
  placement = "center",
}: {
  open: boolean;
  onClose: () => void;
  label?: string;
  labelledBy?: string;
  children: ReactNode;
  className?: string;
  placement?: "center" | "top";
}) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      const previous = document.activeElement as HTMLElement | null;
      dialog.showModal();
      document.documentElement.style.overflow = "hidden";
      return () => {
        document.documentElement.style.overflow = "";
        if (dialog.open) dialog.close();
        previous?.focus?.();
      };
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-label={label}
      aria-labelledby={labelledBy}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      // Chrome may close a dialog on a second Escape without a cancel event: keep the parent's state in step.
      onClose={() => onClose()}
      onKeyDown={(event) => {
        if (event.key !== "Tab" || !ref.current) return;
        const items = Array.from(ref.current.querySelectorAll<HTMLElement>(focusable)).filter((el) => el.offsetParent !== null);
        const first = items[0];
        const last = items.at(-1);
        if (!first || !last) return;
        if (event.shiftKey && document.activeElement === first) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && document.activeElement === last) {
          event.preventDefault();
          first.focus();
        }
      }}
      onMouseDown={(event) => {
        // A press on the backdrop (the dialog element itself, outside the panel) closes it.
        if (event.target === ref.current) onClose();
      }}
      className={cn(
        "m-0 max-h-none max-w-none bg-transparent p-0 backdrop:bg-zinc-950/40 backdrop:backdrop-blur-[2px] dark:backdrop:bg-black/60",
        "open:flex h-dvh w-screen justify-center",
        placement === "top" ? "items-start px-3 pt-[12vh]" : "items-center p-3",
      )}
    >
      {open ? (
        <div
          className={cn(
            "w-full max-w-xl overflow-hidden rounded-xl border border-zinc-200 bg-white text-zinc-900 shadow-2xl dark:border-zinc-700/80 dark:bg-zinc-900 dark:text-zinc-100",
            className,
          )}
        >
          {children}
        </div>
      ) : null}
    </dialog>
  );
}
