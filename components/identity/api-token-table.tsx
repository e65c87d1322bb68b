"use client";
import type { ApiTokenView } from "@/server/identity/contract";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { AlertIcon, UsersIcon, PersonIcon } from "@/components/ui/icons";
import { apiTokenStatus, daysLeftLabel, expiryWarningDays, type ApiTokenStatus } from "./api-token-status";
import { daysUntil } from "@/components/ui/time-format";
import { Time } from "@/components/ui/time";
import { dangerGhostButtonClass } from "./ui/danger-button";

const statusTone: Record<ApiTokenStatus, BadgeTone> = { active: "green", expired: "neutral", revoked: "red" };

function Owner({ token, me }: { token: ApiTokenView; me: string }) {
  const Icon = token.owner.kind === "team" ? UsersIcon : PersonIcon;
  return (
    <span
      className="inline-flex min-w-0 items-center gap-1.5 text-zinc-700 dark:text-zinc-300"
      title={token.owner.kind === "team" ? `Squad ${token.owner.name}` : token.owner.name}
    >
      <Icon size={14} className="shrink-0 text-zinc-400" />
      <span className="truncate">{token.owner.name}</span>
      {token.owner.kind === "person" && token.owner.name === me ? <span className="text-xs text-zinc-400">(you)</span> : null}
    </span>
  );
}

function Expiry({ token, now, status }: { token: ApiTokenView; now: number; status: ApiTokenStatus }) {
  const left = daysUntil(token.expiresAt, now);
  const soon = status === "active" && left < expiryWarningDays;
  return (
    <span
      className={cn("inline-flex flex-wrap items-center gap-x-1", soon ? "font-medium text-amber-700 dark:text-amber-400" : "text-zinc-600 dark:text-zinc-400")}
    >
      {soon ? <AlertIcon size={14} className="shrink-0" /> : null}
      <Time iso={token.expiresAt} format="date" />
      {soon ? <span className="text-xs font-normal">({daysLeftLabel(left)})</span> : null}
    </span>
  );
}

function LastUsed({ token, now }: { token: ApiTokenView; now: number }) {
  return token.lastUsedAt ? (
    <Time iso={token.lastUsedAt} now={now} className="text-zinc-600 dark:text-zinc-400" />
  ) : (
    <span className="text-zinc-400 dark:text-zinc-500">Never</span>
  );
}

function Scopes({ scopes }: { scopes: string[] }) {
  return (
    <span className="flex flex-wrap gap-1">
      {scopes.map((s) => (
        <Badge key={s} tone={s === "read" ? "neutral" : "indigo"} className="font-mono">
          {s}
        </Badge>
      ))}
    </span>
  );
}

/** Tokens as a table on wide screens and as cards on phones; inactive tokens stay listed, dimmed, for the record. */
export function ApiTokenTable({
  tokens,
  now,
  me,
  justCreated,
  onRevoke,
}: {
  tokens: ApiTokenView[];
  now: number;
  me: string;
  /** The token whose secret is on screen right now, marked so its row is easy to find. */
  justCreated?: string | null;
  onRevoke: (token: ApiTokenView) => void;
}) {
  return (
    <>
      <div className="hidden overflow-hidden rounded-lg border border-zinc-200 bg-white md:block dark:border-zinc-800 dark:bg-zinc-900/60">
        <table className="w-full text-left text-[13px]">
          <thead className="border-b border-zinc-200 bg-zinc-50 text-xs font-medium text-zinc-500 dark:border-zinc-800 dark:bg-zinc-950/40 dark:text-zinc-400">
            <tr>
              <th scope="col" className="py-2.5 pr-3 pl-4 font-medium">
                Name
              </th>
              <th scope="col" className="px-3 py-2.5 font-medium">
                Scopes
              </th>
              <th scope="col" className="px-3 py-2.5 font-medium">
                Owner
              </th>
              <th scope="col" className="hidden px-3 py-2.5 font-medium lg:table-cell">
                Created
              </th>
              <th scope="col" className="px-3 py-2.5 font-medium">
                Expires
              </th>
              <th scope="col" className="px-3 py-2.5 font-medium">
                Last used
              </th>
              <th scope="col" className="px-3 py-2.5 font-medium">
                Status
              </th>
              <th scope="col" className="py-2.5 pr-4 pl-3">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {tokens.map((token) => {
              const status = apiTokenStatus(token, now);
              const inactive = status !== "active";
              return (
                <tr
                  key={token.id}
                  className={cn(
                    "align-middle",
                    inactive && "bg-zinc-50/50 dark:bg-zinc-950/20",
                    token.id === justCreated && "bg-emerald-50/60 dark:bg-emerald-500/5",
                  )}
                >
                  <td className="py-3 pr-3 pl-4">
                    <div
                      className={cn("flex items-center gap-2 font-medium", inactive ? "text-zinc-500 dark:text-zinc-500" : "text-zinc-900 dark:text-zinc-100")}
                    >
                      {token.name}
                      {token.id === justCreated ? <Badge tone="green">new</Badge> : null}
                    </div>
                    <div className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{token.prefix}…</div>
                  </td>
                  <td className={cn("px-3 py-3", inactive && "opacity-60")}>
                    <Scopes scopes={token.scopes} />
                  </td>
                  <td className="max-w-44 px-3 py-3">
                    <Owner token={token} me={me} />
                  </td>
                  <td className="hidden px-3 py-3 whitespace-nowrap text-zinc-600 lg:table-cell dark:text-zinc-400">
                    <Time iso={token.createdAt} format="date" />
                  </td>
                  <td className="px-3 py-3 whitespace-nowrap">
                    <Expiry token={token} now={now} status={status} />
                  </td>
                  <td className="px-3 py-3 whitespace-nowrap">
                    <LastUsed token={token} now={now} />
                  </td>
                  <td className="px-3 py-3">
                    <Badge tone={statusTone[status]}>{status}</Badge>
                  </td>
                  <td className="py-3 pr-4 pl-3 text-right">
                    {status === "active" ? (
                      <button type="button" className={dangerGhostButtonClass()} onClick={() => onRevoke(token)} aria-label={`Revoke ${token.name}`}>
                        Revoke
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <ul className="space-y-3 md:hidden">
        {tokens.map((token) => {
          const status = apiTokenStatus(token, now);
          return (
            <li
              key={token.id}
              className={cn("rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900/60", status !== "active" && "opacity-75")}
            >
              <div className="flex items-start justify-between gap-3">
                <div className="min-w-0">
                  <p className="flex min-w-0 items-center gap-2 font-medium text-zinc-900 dark:text-zinc-100">
                    <span className="truncate">{token.name}</span>
                    {token.id === justCreated ? <Badge tone="green">new</Badge> : null}
                  </p>
                  <p className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{token.prefix}…</p>
                </div>
                <Badge tone={statusTone[status]}>{status}</Badge>
              </div>
              <div className="mt-3">
                <Scopes scopes={token.scopes} />
              </div>
              <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-[13px]">
                <div className="col-span-2">
                  <dt className="text-xs text-zinc-500 dark:text-zinc-400">Owner</dt>
                  <dd>
                    <Owner token={token} me={me} />
                  </dd>
                </div>
                <div>
                  <dt className="text-xs text-zinc-500 dark:text-zinc-400">Expires</dt>
                  <dd>
                    <Expiry token={token} now={now} status={status} />
                  </dd>
                </div>
                <div>
                  <dt className="text-xs text-zinc-500 dark:text-zinc-400">Last used</dt>
                  <dd>
                    <LastUsed token={token} now={now} />
                  </dd>
                </div>
              </dl>
              {status === "active" ? (
                <button
                  type="button"
                  className={buttonClass({ size: "sm", className: "mt-4 w-full text-red-600! dark:text-red-400!" })}
                  onClick={() => onRevoke(token)}
                  aria-label={`Revoke ${token.name}`}
                >
                  Revoke
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </>
  );
}
