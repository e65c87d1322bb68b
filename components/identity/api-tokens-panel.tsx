"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNow } from "@/components/ui/use-now";
import { apiTokenListSchema, revokedApiTokenSchema, type ApiTokenView } from "@/server/identity/contract";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ApiTokenSecret } from "./api-token-secret";
import { apiTokenStatus, sortApiTokens } from "./api-token-status";
import { ApiTokenTable } from "./api-token-table";
import { api, problemMessage, retryUnlessClientError } from "@/components/api/client";
import { NewApiTokenForm, type CreatedApiToken, type SquadChoice } from "./new-api-token-form";
import { Alert } from "./ui/alert";
import { ConfirmDialog } from "./ui/confirm-dialog";
import { KeyIcon, PlusIcon } from "@/components/ui/icons";
import { Spinner } from "./ui/spinner";

const tokensKey = ["identity", "api-tokens"] as const;

export function ApiTokensPanel({
  initialTokens,
  renderedAt,
  me,
  isAdmin,
  squads,
}: {
  initialTokens: ApiTokenView[];
  renderedAt: number;
  me: string;
  isAdmin: boolean;
  /** Groups an admin may create a squad token for; null for everyone else. */
  squads: SquadChoice[] | null;
}) {
  const queryClient = useQueryClient();
  // Starts at the server's clock, then ticks in the browser: expiry warnings and "last used" stay honest.
  const now = useNow(60_000, renderedAt);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiTokenView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const tokens = useQuery({
    queryKey: tokensKey,
    queryFn: async ({ signal }) => (await api.get("/api/v1/tokens", apiTokenListSchema, { signal })).items,
    initialData: initialTokens,
    initialDataUpdatedAt: renderedAt,
    retry: retryUnlessClientError,
  });

  const revoke = useMutation({
    mutationFn: (token: ApiTokenView) => api.delete(`/api/v1/tokens/${encodeURIComponent(token.id)}`, revokedApiTokenSchema),
    onSuccess: (_result, token) => {
      setRevoking(null);
      setNotice(`“${token.name}” (${token.prefix}…) is revoked: requests that use it are now refused.`);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });

  const startCreating = () => {
    setCreating(true);
    setNotice(null);
  };

  const list = sortApiTokens(tokens.data, now);
  const active = list.filter((t) => apiTokenStatus(t, now) === "active").length;
  const busy = creating || created !== null;

  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-x-6 gap-y-3">
        <div className="min-w-0">
          <h1 className="text-xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">API tokens</h1>
          <p className="mt-0.5 max-w-2xl text-[13px] text-zinc-500 dark:text-zinc-400">
            Let CI pipelines and scripts call Slipway&apos;s API. A token acts as its owner, narrowed to its scopes, and never does more than its owner may.
          </p>
        </div>
        {!busy && list.length ? (
          <button type="button" className={buttonClass({ variant: "primary" })} onClick={startCreating}>
            <PlusIcon size={14} />
            New token
          </button>
        ) : null}
      </header>

      {notice ? (
        <Alert
          tone="success"
          action={
            <button type="button" className={buttonClass({ variant: "ghost", size: "sm" })} onClick={() => setNotice(null)}>
              Dismiss
            </button>
          }
        >
          {notice}
        </Alert>
      ) : null}

      {created ? <ApiTokenSecret created={created} onDone={() => setCreated(null)} /> : null}

      {creating ? (
        <NewApiTokenForm
          me={me}
          squads={isAdmin ? squads : null}
          onCancel={() => setCreating(false)}
          onCreated={(token) => {
            setCreating(false);
            setCreated(token);
            void queryClient.invalidateQueries({ queryKey: tokensKey });
          }}
        />
      ) : null}

      <section aria-labelledby="token-list-title" className="pt-1">
        <div className="mb-2.5 flex items-center justify-between gap-3">
          <h2 id="token-list-title" className="text-[13px] font-semibold text-zinc-900 dark:text-zinc-100">
            {isAdmin ? "Every token in the organisation" : "Your tokens"}
            <span className="ml-2 font-normal text-zinc-500 dark:text-zinc-400">
              {active} active{list.length > active ? ` · ${list.length - active} revoked or expired` : ""}
            </span>
          </h2>
          {tokens.isFetching ? (
            <span className="inline-flex items-center gap-1.5 text-xs text-zinc-500 dark:text-zinc-400">
              <Spinner size={12} /> Refreshing
            </span>
          ) : null}
        </div>

        {tokens.isError ? (
          <Alert
            tone="danger"
            title="The token list could not be refreshed"
            className="mb-3"
            action={
              <button type="button" className={buttonClass({ size: "sm" })} onClick={() => void tokens.refetch()}>
                Try again
              </button>
            }
          >
            {problemMessage(tokens.error)}
          </Alert>
        ) : null}

        {list.length ? (
          <ApiTokenTable
            tokens={list}
            now={now}
            me={me}
            justCreated={created?.id ?? null}
            onRevoke={(token) => {
              revoke.reset();
              setRevoking(token);
            }}
          />
        ) : (
          <EmptyState
            className="rounded-lg border border-dashed border-zinc-300 dark:border-zinc-700"
            icon={<KeyIcon size={18} />}
            title="No API tokens yet"
            description="Create one to call Slipway from CI or a script: import catalogue descriptors, request rollouts, or read the audit trail."
            action={
              !busy ? (
                <button type="button" className={buttonClass({ variant: "primary" })} onClick={startCreating}>
                  <PlusIcon size={14} />
                  New token
                </button>
              ) : null
            }
          />
        )}
      </section>

      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke “${revoking?.name ?? ""}”?`}
        confirmLabel="Revoke token"
        pending={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      >
        <p>
          Anything that uses <code className="rounded bg-zinc-100 px-1 py-px font-mono text-xs dark:bg-zinc-800">{revoking?.prefix}…</code>
          {revoking?.owner.kind === "team"
            ? ` (squad ${revoking.owner.name})`
            : revoking && revoking.owner.name !== me
              ? ` (owned by ${revoking.owner.name})`
              : ""}{" "}
          stops working at once. This cannot be undone, and it is recorded in the audit trail.
        </p>
        {revoke.error ? (
          <Alert tone="danger" className="mt-3">
            {problemMessage(revoke.error)}
          </Alert>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
