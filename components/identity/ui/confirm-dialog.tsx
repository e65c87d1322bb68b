"use client";
import { useId, type ReactNode } from "react";
import { buttonClass } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { dangerButtonClass } from "./danger-button";
import { Spinner } from "./spinner";

/** A yes/no question with a safe default: Escape, the backdrop and Cancel all say no (except mid-request). */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  pending = false,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const id = useId();
  return (
    <Dialog open={open} onClose={() => !pending && onCancel()} labelledBy={id} className="max-w-md">
      <div className="p-5">
        <h2 id={id} className="text-[15px] font-semibold text-zinc-900 dark:text-zinc-50">
          {title}
        </h2>
        <div className="mt-2 text-[13px] leading-5 text-zinc-600 dark:text-zinc-400">{children}</div>
      </div>
      <div className="flex flex-col-reverse gap-2 border-t border-zinc-200 bg-zinc-50 px-5 py-3 sm:flex-row sm:justify-end dark:border-zinc-800 dark:bg-zinc-950/40">
        <button type="button" className={buttonClass()} onClick={onCancel} disabled={pending} autoFocus>
          Cancel
        </button>
        <button type="button" className={dangerButtonClass()} onClick={onConfirm} disabled={pending} aria-busy={pending || undefined}>
          {pending ? <Spinner size={14} /> : null}
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
