"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Select } from "@/components/ui/select";
import { FieldLabel, FormError, Spinner, Textarea, ToneButton } from "./field";
import { UndoIcon } from "@/components/ui/icons";
import { releasesApi } from "@/components/api/releases";
import { problemMessage } from "@/components/api/client";
import type { ReleaseView } from "./types";

/**
 * Roll back a rollout: to what ran before it (kubectl undo) or to a release chosen from the service's list. An
 * emergency action: no checkpoint, allowed during a freeze, recorded. Opens the new rollback's live page.
 */
export function RollbackButton({
  rolloutId,
  service,
  environment,
  currentVersion,
  previousVersion,
  releases,
  label,
  prominent = false,
  size = "md",
}: {
  rolloutId: string;
  service: string;
  environment: string;
  currentVersion: string;
  previousVersion: string | null;
  /** What a rollback may return to: the releases that ran well in this environment, newest first. */
  releases: ReleaseView[];
  label?: string;
  prominent?: boolean;
  size?: "sm" | "md";
}) {
  const id = useId();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const choices = releases.filter((r) => r.version !== currentVersion);
  // What ran before, when it ran well here; otherwise the newest release that did. Never the one being undone.
  const preselected = (choices.find((r) => r.version === previousVersion) ?? choices[0])?.version ?? "";
  const [version, setVersion] = useState(preselected);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit() {
    if (!version) {
      setError("Choose a release to roll back to.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const rollback = await releasesApi.rollback(rolloutId, {
        ...(version !== previousVersion ? { toVersion: version } : {}),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      setOpen(false);
      router.push(`/rollouts/${rollback.id}`);
      router.refresh();
    } catch (e) {
      setError(problemMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <ToneButton
        tone={prominent ? "dangerSolid" : "danger"}
        size={size}
        onClick={() => {
          setVersion(preselected);
          setError(null);
          setOpen(true);
        }}
      >
        <UndoIcon size={14} />
        {label ?? (preselected ? `Roll back to ${preselected}` : "Roll back")}
      </ToneButton>
      <Dialog open={open} onClose={() => !busy && setOpen(false)} labelledBy={`${id}-title`} className="max-w-lg">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <div className="border-b border-zinc-200 px-5 py-4 dark:border-zinc-800">
            <h2 id={`${id}-title`} className="text-[15px] font-semibold">
              Roll back {service} in <span className="capitalize">{environment}</span>
            </h2>
            <p className="mt-1 text-[13px] text-zinc-600 dark:text-zinc-400">
              Slipway deploys the release you choose straight away, without a checkpoint, even during a freeze. It is recorded in the audit trail under your
              name.
            </p>
          </div>
          <div className="space-y-4 px-5 py-4">
            <div>
              <FieldLabel htmlFor={`${id}-version`} hint={`now ${currentVersion}`}>
                Roll back to
              </FieldLabel>
              {choices.length ? (
                <Select id={`${id}-version`} value={version} onChange={(e) => setVersion(e.target.value)} className="w-full" disabled={busy}>
                  {choices.map((r, i) => (
                    <option key={r.id} value={r.version}>
                      {r.version}
                      {r.version === previousVersion ? " — what ran before" : i === 0 ? " — last good here" : ""}
                    </option>
                  ))}
                </Select>
              ) : (
                <p className="text-[13px] text-zinc-600 dark:text-zinc-400">
                  No other release of {service} has run well in {environment}, so there is nothing to go back to. Request a rollout of another release instead.
                </p>
              )}
            </div>
            <div>
              <FieldLabel htmlFor={`${id}-reason`} hint="optional">
                Reason
              </FieldLabel>
              <Textarea
                id={`${id}-reason`}
                rows={2}
                maxLength={2000}
                value={reason}
                disabled={busy}
                placeholder="e.g. Error rate up after 1.5.0"
                onChange={(e) => setReason(e.target.value)}
              />
            </div>
            <FormError>{error}</FormError>
          </div>
          <div className="flex flex-col-reverse gap-2 border-t border-zinc-200 bg-zinc-50 px-5 py-3 sm:flex-row sm:justify-end dark:border-zinc-800 dark:bg-zinc-900/80">
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={busy}>
              Keep {currentVersion}
            </Button>
            <ToneButton type="submit" tone="dangerSolid" disabled={busy || !choices.length}>
              {busy ? <Spinner /> : <UndoIcon size={14} />}
              {version ? `Roll back to ${version}` : "Roll back"}
            </ToneButton>
          </div>
        </form>
      </Dialog>
    </>
  );
}
