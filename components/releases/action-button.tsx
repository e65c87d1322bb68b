"use client";

import { useId, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FieldLabel, FormError, Spinner, Textarea, ToneButton } from "./field";
import { problemMessage } from "@/components/api/client";

/**
 * A button that confirms before it acts on a cluster or a rollout, with an optional reason that goes into the
 * audit trail. The server's refusal (freeze, permission, nothing to act on) is shown in the dialog.
 */
export function ActionButton({
  label,
  icon,
  title,
  description,
  confirmLabel,
  danger = false,
  size = "sm",
  reasonPlaceholder,
  dismissLabel = "Cancel",
  onConfirm,
}: {
  label: string;
  icon?: ReactNode;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  size?: "sm" | "md";
  reasonPlaceholder?: string;
  dismissLabel?: string;
  /** Resolves with a line to show on success, or throws. */
  onConfirm: (reason: string | undefined) => Promise<string | void>;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  function openDialog() {
    setError(null);
    setDone(null);
    setOpen(true);
  }

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const message = await onConfirm(reason.trim() || undefined);
      setOpen(false);
      setReason("");
      setDone(message || null);
    } catch (e) {
      setError(problemMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {danger ? (
        <ToneButton tone="danger" size={size} onClick={openDialog}>
          {icon}
          {label}
        </ToneButton>
      ) : (
        <Button size={size} variant="secondary" onClick={openDialog}>
          {icon}
          {label}
        </Button>
      )}
      {done ? (
        <span role="status" className="sr-only">
          {done}
        </span>
      ) : null}
      <Dialog open={open} onClose={() => !busy && setOpen(false)} labelledBy={`${id}-title`} className="max-w-md">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <div className="px-5 pt-4 pb-3">
            <h2 id={`${id}-title`} className="text-[15px] font-semibold">
              {title}
            </h2>
            <div className="mt-1 text-[13px] text-zinc-600 dark:text-zinc-400">{description}</div>
          </div>
          <div className="px-5 pb-4">
            <FieldLabel htmlFor={`${id}-reason`} hint="optional, kept in the audit trail">
              Reason
            </FieldLabel>
            <Textarea
              id={`${id}-reason`}
              rows={2}
              maxLength={2000}
              value={reason}
              disabled={busy}
              placeholder={reasonPlaceholder}
              onChange={(e) => setReason(e.target.value)}
            />
            <FormError>{error}</FormError>
          </div>
          <div className="flex flex-col-reverse gap-2 border-t border-zinc-200 bg-zinc-50 px-5 py-3 sm:flex-row sm:justify-end dark:border-zinc-800 dark:bg-zinc-900/80">
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={busy}>
              {dismissLabel}
            </Button>
            {danger ? (
              <ToneButton type="submit" tone="dangerSolid" disabled={busy}>
                {busy ? <Spinner /> : null}
                {confirmLabel}
              </ToneButton>
            ) : (
              <Button type="submit" variant="primary" disabled={busy}>
                {busy ? <Spinner /> : null}
                {confirmLabel}
              </Button>
            )}
          </div>
        </form>
      </Dialog>
    </>
  );
}
