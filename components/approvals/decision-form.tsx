"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { CheckIcon, XIcon, LockIcon } from "@/components/ui/icons";
import { approvalsCountKey } from "@/components/releases/approvals-badge";
import { FieldLabel, FormError, Spinner, Textarea, ToneButton } from "@/components/releases/field";
import { releasesApi } from "@/components/api/releases";
import { problemMessage } from "@/components/api/client";

/**
 * Approve or reject the open checkpoint of a rollout, with the comment the audit trail needs. For someone who may
 * not decide, the form is shown disabled with the reason (four-eyes, scope, role) instead of being hidden, so it is
 * clear why nothing can be clicked.
 */
export function DecisionForm({
  rolloutId,
  canDecide,
  whyNot,
  what,
  compact = false,
  onDecided,
}: {
  rolloutId: string;
  canDecide: boolean;
  whyNot: string | null;
  /** "deploy 1.5.0 to production", "promote the canary past step 3": read in the button labels' descriptions. */
  what: string;
  compact?: boolean;
  onDecided?: (decision: "approve" | "reject") => void;
}) {
  const id = useId();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState<"approve" | "reject" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [done, setDone] = useState<"approve" | "reject" | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);

  async function decide(decision: "approve" | "reject") {
    if (!comment.trim()) {
      setMissing(true);
      setError(null);
      field.current?.focus();
      return;
    }
    setBusy(decision);
    setError(null);
    try {
      await releasesApi.decide(rolloutId, decision, comment.trim());
      setDone(decision);
      setComment("");
      void queryClient.invalidateQueries({ queryKey: approvalsCountKey });
      onDecided?.(decision);
      router.refresh();
    } catch (e) {
      setError(problemMessage(e));
    } finally {
      setBusy(null);
    }
  }

  const reasonId = `${id}-why`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;

  if (done) {
    return (
      <p
        role="status"
        className="flex items-center gap-2 rounded-md bg-zinc-50 px-3 py-2 text-[13px] text-zinc-700 ring-1 ring-inset ring-zinc-200 dark:bg-zinc-800/50 dark:text-zinc-300 dark:ring-zinc-700"
      >
        {done === "approve" ? (
          <CheckIcon size={14} className="text-emerald-600 dark:text-emerald-400" />
        ) : (
          <XIcon size={14} className="text-red-600 dark:text-red-400" />
        )}
        {done === "approve" ? "Your approval is recorded." : "Your rejection is recorded."}
      </p>
    );
  }

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void decide("approve");
      }}
      aria-label={`Decide: ${what}`}
      // The comment is checked here, with a message next to the field, rather than by the browser's tooltip.
      noValidate
    >
      <FieldLabel htmlFor={`${id}-comment`} hint={canDecide ? "required, kept in the audit trail" : undefined}>
        Comment
      </FieldLabel>
      <Textarea
        ref={field}
        id={`${id}-comment`}
        name="comment"
        rows={compact ? 2 : 3}
        maxLength={2000}
        required
        disabled={!canDecide || busy !== null}
        value={comment}
        placeholder={canDecide ? "What did you check? e.g. “Changelog reviewed, staging green for 2 days”" : undefined}
        aria-invalid={missing && !comment.trim() ? true : undefined}
        aria-describedby={cn(!canDecide && reasonId, missing && hintId, error && errorId) || undefined}
        onChange={(event) => {
          setComment(event.target.value);
          if (event.target.value.trim()) setMissing(false);
        }}
        onKeyDown={(event) => {
          // Ctrl/Cmd+Enter approves, as in most review tools; a plain Enter makes a new line.
          if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
            event.preventDefault();
            void decide("approve");
          }
        }}
      />
      {missing && !comment.trim() ? (
        <p id={hintId} className="mt-1 text-xs text-red-700 dark:text-red-300">
          Say why: approvals and rejections carry a comment.
        </p>
      ) : null}
      {!canDecide && whyNot ? (
        <p id={reasonId} className="mt-2 flex items-start gap-1.5 text-[13px] text-zinc-600 dark:text-zinc-400">
          <LockIcon size={14} className="mt-px shrink-0 text-zinc-400 dark:text-zinc-500" />
          <span>{whyNot}</span>
        </p>
      ) : null}
      <div className={cn("mt-2.5 flex flex-wrap items-center gap-2", compact ? "justify-end" : "")}>
        <ToneButton
          type="submit"
          tone="approve"
          size={compact ? "sm" : "md"}
          disabled={!canDecide || busy !== null}
          aria-describedby={!canDecide ? reasonId : undefined}
        >
          {busy === "approve" ? <Spinner /> : <CheckIcon size={14} />}
          Approve
        </ToneButton>
        <ToneButton
          tone="danger"
          size={compact ? "sm" : "md"}
          disabled={!canDecide || busy !== null}
          onClick={() => void decide("reject")}
          aria-describedby={!canDecide ? reasonId : undefined}
        >
          {busy === "reject" ? <Spinner /> : <XIcon size={14} />}
          Reject
        </ToneButton>
      </div>
      <FormError id={errorId}>{error}</FormError>
    </form>
  );
}
