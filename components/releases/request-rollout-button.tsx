"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ArrowRightIcon } from "@/components/ui/icons";
import { CommitLink } from "./commit-link";
import { FieldLabel, FormError, Spinner, Textarea } from "./field";
import { shortSha } from "./format";
import { releasesApi } from "@/components/api/releases";
import { problemMessage } from "@/components/api/client";
import { Time } from "@/components/ui/time";
import type { ReleaseView } from "./types";

/**
 * Ask for a release to be deployed to an environment. The picker offers only releases that do not run there; in a
 * checkpoint environment the request opens a checkpoint for someone else to approve.
 */
export function RequestRolloutButton({
  service,
  environment,
  environmentTitle,
  checkpoint,
  approvalsRequired,
  releases,
  runningVersion,
  disabledReason,
}: {
  service: string;
  environment: string;
  environmentTitle: string;
  checkpoint: boolean;
  approvalsRequired: number | null;
  releases: ReleaseView[];
  runningVersion: string | null;
  /** Why a request cannot be made now (a freeze): the button stays visible, disabled, with the reason. */
  disabledReason?: string | null;
}) {
  const id = useId();
  const router = useRouter();
  const choices = releases.filter((r) => r.version !== runningVersion);
  const [open, setOpen] = useState(false);
  const [version, setVersion] = useState(choices[0]?.version ?? "");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reasonMissing, setReasonMissing] = useState(false);
  const reasonField = useRef<HTMLTextAreaElement>(null);
  const chosen = choices.find((r) => r.version === version) ?? null;

  async function submit() {
    if (!version) return setError("Choose a release.");
    // Approvers decide on the reason: a checkpoint request without one is not worth their time.
    if (checkpoint && !reason.trim()) {
      setReasonMissing(true);
      setError(null);
      reasonField.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const rollout = await releasesApi.requestRollout({ service, environment, version, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      setOpen(false);
      router.push(`/rollouts/${rollout.id}`);
    } catch (e) {
      setError(problemMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button
        variant="primary"
        size="sm"
        disabled={!!disabledReason || !choices.length}
        title={disabledReason ?? (!choices.length ? `Every registered release already runs in ${environmentTitle}` : undefined)}
        onClick={() => {
          setVersion(choices[0]?.version ?? "");
          setError(null);
          setReasonMissing(false);
          setOpen(true);
        }}
      >
        Request rollout to {environmentTitle}
      </Button>
      <Dialog open={open} onClose={() => !busy && setOpen(false)} labelledBy={`${id}-title`} className="max-w-xl">
        <form
          // The reason is checked here, with a message next to the field, rather than by the browser's tooltip.
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <div className="border-b border-zinc-200 px-5 py-4 dark:border-zinc-800">
            <h2 id={`${id}-title`} className="text-[15px] font-semibold">
              Deploy {service} to {environmentTitle}
            </h2>
            <p className="mt-1 text-[13px] text-zinc-600 dark:text-zinc-400">
              {checkpoint
                ? `This opens a checkpoint: ${approvalsRequired ?? 1} approval${approvalsRequired === 1 ? "" : "s"} from someone other than you before anything changes in ${environmentTitle}.`
                : `${environmentTitle} deploys without a checkpoint: the rollout starts as soon as you request it.`}
            </p>
          </div>
          <div className="space-y-4 px-5 py-4">
            <fieldset>
              <legend className="mb-1.5 text-[13px] font-medium text-zinc-800 dark:text-zinc-200">
                Release{" "}
                <span className="font-normal text-zinc-500 dark:text-zinc-400">
                  {runningVersion ? `(${runningVersion} runs now)` : "(nothing runs there yet)"}
                </span>
              </legend>
              <div className="max-h-64 overflow-y-auto rounded-md ring-1 ring-zinc-200 ring-inset dark:ring-zinc-800">
                {choices.map((release) => (
                  <label
                    key={release.id}
                    className="flex cursor-pointer items-start gap-3 border-b border-zinc-100 px-3 py-2 last:border-b-0 hover:bg-zinc-50 has-[:checked]:bg-indigo-50/70 dark:border-zinc-800 dark:hover:bg-zinc-800/50 dark:has-[:checked]:bg-indigo-500/10"
                  >
                    <input
                      type="radio"
                      name={`${id}-release`}
                      value={release.version}
                      checked={version === release.version}
                      onChange={() => setVersion(release.version)}
                      className="mt-1 accent-indigo-600 dark:accent-indigo-400"
                      aria-describedby={`${id}-${release.id}-about`}
                    />
                    <span className="min-w-0 flex-1">
                      <span className="flex flex-wrap items-center gap-x-2.5">
                        <span className="font-mono text-[13px] font-semibold text-zinc-900 dark:text-zinc-100">{release.version}</span>
                        <span className="font-mono text-[12px] text-zinc-500 dark:text-zinc-400">{shortSha(release.commitSha)}</span>
                        <Time iso={release.createdAt} className="text-[12px] text-zinc-500 dark:text-zinc-400" />
                      </span>
                      <span id={`${id}-${release.id}-about`} className="block truncate text-[12px] text-zinc-600 dark:text-zinc-400">
                        {release.changelog?.split("\n")[0] ?? "No changelog"}
                        {release.author ? ` — ${release.author}` : ""}
                      </span>
                    </span>
                  </label>
                ))}
              </div>
              {chosen ? (
                <p className="mt-1.5 flex flex-wrap items-center gap-x-2 text-[12px] text-zinc-500 dark:text-zinc-400">
                  <span className="truncate font-mono">{chosen.image}</span>
                  <CommitLink release={chosen} />
                </p>
              ) : null}
            </fieldset>
            <div>
              <FieldLabel htmlFor={`${id}-reason`} hint={checkpoint ? "required, shown to approvers" : "optional"}>
                Reason
              </FieldLabel>
              <Textarea
                ref={reasonField}
                id={`${id}-reason`}
                rows={2}
                maxLength={2000}
                value={reason}
                disabled={busy}
                required={checkpoint}
                aria-invalid={reasonMissing && !reason.trim() ? true : undefined}
                aria-describedby={reasonMissing && !reason.trim() ? `${id}-reason-missing` : undefined}
                placeholder="What is in it, and why now?"
                onChange={(e) => {
                  setReason(e.target.value);
                  if (e.target.value.trim()) setReasonMissing(false);
                }}
              />
              {reasonMissing && !reason.trim() ? (
                <p id={`${id}-reason-missing`} className="mt-1 text-xs text-red-700 dark:text-red-300">
                  Say why you want this in {environmentTitle}: the approvers decide on it, and it stays in the audit trail.
                </p>
              ) : null}
            </div>
            <FormError>{error}</FormError>
          </div>
          <div className="flex flex-col-reverse gap-2 border-t border-zinc-200 bg-zinc-50 px-5 py-3 sm:flex-row sm:justify-end dark:border-zinc-800 dark:bg-zinc-900/80">
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={busy || !version}>
              {busy ? <Spinner /> : <ArrowRightIcon size={14} />}
              {checkpoint ? `Request ${version || "rollout"}` : `Deploy ${version || ""}`}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
