"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { DeliveryState, DeliveryView } from "@/server/notifications/contract";
import { api, problemMessage } from "@/components/api/client";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Time } from "@/components/ui/time";

const tone: Record<DeliveryState, BadgeTone> = { pending: "amber", delivered: "green", failed: "red" };

function ResendButton({ delivery }: { delivery: DeliveryView }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        size="sm"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await api.post(`/api/v1/notifications/deliveries/${delivery.id}/resend`, {});
            router.refresh();
          } catch (e) {
            setError(problemMessage(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? "Sending…" : "Resend"}
      </Button>
      {error ? (
        <p role="alert" className="max-w-60 text-right text-[12px] text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Every event sent to every target: state, attempts (each with its answer and duration), next retry, resend. */
export function DeliveryLog({ deliveries }: { deliveries: DeliveryView[] }) {
  const router = useRouter();
  return (
    <div className="flex flex-col gap-2">
      <div className="flex justify-end">
        <Button size="sm" variant="ghost" onClick={() => router.refresh()}>
          Refresh
        </Button>
      </div>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-[13px]">
          <thead className="text-[12px] text-zinc-500 dark:text-zinc-400">
            <tr>
              <th className="py-2 pr-3 font-medium">Event</th>
              <th className="py-2 pr-3 font-medium">Target</th>
              <th className="py-2 pr-3 font-medium">Status</th>
              <th className="py-2 pr-3 font-medium">Attempts</th>
              <th className="py-2 pr-3 font-medium">Next retry</th>
              <th className="py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {deliveries.map((d) => (
              <tr key={d.id} className="align-top">
                <td className="py-2 pr-3">
                  <div className="font-medium text-zinc-900 dark:text-zinc-100">
                    {d.rolloutId ? <Link href={`/rollouts/${d.rolloutId}`}>{d.summary}</Link> : d.summary}
                  </div>
                  <div className="text-[12px] text-zinc-500">
                    {d.kind} · <Time iso={d.createdAt} />
                  </div>
                </td>
                <td className="py-2 pr-3">
                  <div>{d.target}</div>
                  <div className="text-[12px] text-zinc-500">{d.targetType}</div>
                </td>
                <td className="py-2 pr-3">
                  <Badge tone={tone[d.state]}>{d.state}</Badge>
                  {d.lastStatus !== null || d.lastError ? (
                    <div className="mt-1 max-w-72 text-[12px] break-words text-zinc-600 dark:text-zinc-400">
                      {d.lastStatus !== null ? `HTTP ${d.lastStatus}` : null}
                      {d.lastError && d.state !== "delivered" ? ` ${d.lastError}` : null}
                    </div>
                  ) : null}
                </td>
                <td className="py-2 pr-3">
                  {d.attemptLog.length ? (
                    <details>
                      <summary className="cursor-pointer">{d.attempts}</summary>
                      <ol className="mt-1 flex flex-col gap-1 text-[12px] text-zinc-600 dark:text-zinc-400">
                        {d.attemptLog.map((a) => (
                          <li key={a.number}>
                            #{a.number} <Time iso={a.startedAt} format="datetime" seconds /> · {a.ok ? "ok" : "failed"}
                            {a.statusCode !== null ? ` · HTTP ${a.statusCode}` : ""} · {a.durationMs} ms{a.error ? ` · ${a.error}` : ""} · {a.worker}
                          </li>
                        ))}
                      </ol>
                    </details>
                  ) : (
                    d.attempts
                  )}
                </td>
                <td className="py-2 pr-3">{d.state === "pending" && d.nextAttemptAt ? <Time iso={d.nextAttemptAt} /> : "—"}</td>
                <td className="py-2 text-right">
                  <ResendButton delivery={d} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
