"use client";
import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { buttonClass } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { expiryChoices, scopeDescriptions } from "./api-token-status";
import { createdApiTokenSchema, tokenScopes, type NewApiToken, type TokenScope } from "@/server/identity/contract";
import { api, problemMessage } from "@/components/api/client";
import { formatDate } from "@/components/ui/time-format";
import { useIsClient } from "./use-is-client";
import { Alert } from "./ui/alert";
import { Spinner } from "./ui/spinner";

export type CreatedApiToken = NewApiToken & { name: string; scopes: string[]; owner: string };

export type SquadChoice = { name: string; title: string | null; type: string };

const labelClass = "block text-[13px] font-medium text-zinc-900 dark:text-zinc-100";
const helpClass = "mt-1.5 text-xs text-zinc-500 dark:text-zinc-400";
const errorClass = "mt-1.5 text-xs text-red-600 dark:text-red-400";

/** Name, scopes, lifetime and (for admins) a squad owner; the secret comes back once, to the caller. */
export function NewApiTokenForm({
  me,
  squads,
  onCreated,
  onCancel,
}: {
  me: string;
  /** Present only for admins, who may create tokens owned by a squad. */
  squads: SquadChoice[] | null;
  onCreated: (token: CreatedApiToken) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const client = useIsClient();
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<TokenScope[]>(["read"]);
  const [days, setDays] = useState<number>(90);
  const [team, setTeam] = useState("");
  const [touched, setTouched] = useState(false);

  const create = useMutation({
    mutationFn: () => api.post("/api/v1/tokens", { name: name.trim(), scopes: chosen, expiresInDays: days, ...(team ? { team } : {}) }, createdApiTokenSchema),
    onSuccess: (created) => onCreated({ ...created, name: name.trim(), scopes: chosen, owner: team ? `squad ${team}` : me }),
  });

  const nameMissing = touched && !name.trim();
  const scopesMissing = touched && chosen.length === 0;

  function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!name.trim() || chosen.length === 0) return;
    create.mutate();
  }

  const toggle = (scope: TokenScope, on: boolean) => setChosen((current) => tokenScopes.filter((s) => (s === scope ? on : current.includes(s))));

  const teams = squads?.filter((s) => s.type === "team") ?? [];
  const otherGroups = squads?.filter((s) => s.type !== "team") ?? [];
  const groupLabel = (s: SquadChoice) => (s.title && s.title !== s.name ? `${s.title} (${s.name})` : s.name);

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-labelledby={`${id}-title`}
      className="overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900/60"
    >
      <div className="border-b border-zinc-200 px-4 py-3 sm:px-5 dark:border-zinc-800">
        <h2 id={`${id}-title`} className="text-[15px] font-semibold text-zinc-900 dark:text-zinc-50">
          New API token
        </h2>
        <p className="mt-0.5 text-[13px] text-zinc-500 dark:text-zinc-400">
          {squads
            ? "A personal token acts as you; a squad token acts as an engineer of that squad."
            : "The token acts as you, narrowed to the scopes you pick."}
        </p>
      </div>

      <div className="grid grid-cols-1 gap-x-8 gap-y-5 px-4 py-4 sm:px-5 lg:grid-cols-2">
        <div className="space-y-5">
          <div>
            <label htmlFor={`${id}-name`} className={labelClass}>
              Name
            </label>
            <Input
              id={`${id}-name`}
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={100}
              autoFocus
              autoComplete="off"
              spellCheck={false}
              placeholder="e.g. github-actions-deploy"
              aria-invalid={nameMissing || undefined}
              aria-describedby={`${id}-name-help`}
              className={cn("mt-1.5", nameMissing && "ring-red-400 dark:ring-red-500")}
            />
            <p id={`${id}-name-help`} className={nameMissing ? errorClass : helpClass}>
              {nameMissing ? "Give the token a name." : "Where it runs and what for, so you recognise it later."}
            </p>
          </div>

          <div className="grid grid-cols-1 gap-5 sm:grid-cols-2">
            <div>
              <label htmlFor={`${id}-expiry`} className={labelClass}>
                Expires after
              </label>
              <Select id={`${id}-expiry`} value={days} onChange={(e) => setDays(Number(e.target.value))} className="mt-1.5 w-full [&_select]:h-8">
                {expiryChoices.map((d) => (
                  <option key={d} value={d}>
                    {d === 366 ? "1 year (366 days)" : `${d} days`}
                  </option>
                ))}
              </Select>
              <p className={helpClass}>{client ? `On ${formatDate(new Date(Date.now() + days * 86_400_000).toISOString())}.` : "\u00a0"}</p>
            </div>

            {squads ? (
              <div>
                <label htmlFor={`${id}-owner`} className={labelClass}>
                  Owner
                </label>
                <Select id={`${id}-owner`} value={team} onChange={(e) => setTeam(e.target.value)} className="mt-1.5 w-full [&_select]:h-8">
                  <option value="">Me ({me})</option>
                  {teams.length ? (
                    <optgroup label="Squads">
                      {teams.map((s) => (
                        <option key={s.name} value={s.name}>
                          {groupLabel(s)}
                        </option>
                      ))}
                    </optgroup>
                  ) : null}
                  {otherGroups.length ? (
                    <optgroup label="Other groups">
                      {otherGroups.map((s) => (
                        <option key={s.name} value={s.name}>
                          {groupLabel(s)}
                        </option>
                      ))}
                    </optgroup>
                  ) : null}
                </Select>
                <p className={helpClass}>Admins only. A squad token keeps working when people leave.</p>
              </div>
            ) : null}
          </div>
        </div>

        <fieldset aria-describedby={`${id}-scopes-help`}>
          <legend className={labelClass}>Scopes</legend>
          <div className="mt-1.5 divide-y divide-zinc-200 overflow-hidden rounded-md ring-1 ring-zinc-200 ring-inset dark:divide-zinc-800 dark:ring-zinc-800">
            {tokenScopes.map((scope) => {
              const checked = chosen.includes(scope);
              return (
                <label
                  key={scope}
                  className={cn(
                    "flex cursor-pointer gap-3 px-3 py-2 transition-colors",
                    checked ? "bg-indigo-50/70 dark:bg-indigo-500/10" : "hover:bg-zinc-50 dark:hover:bg-zinc-800/40",
                  )}
                >
                  <Checkbox checked={checked} onChange={(e) => toggle(scope, e.target.checked)} className="mt-[3px]" />
                  <span className="min-w-0">
                    <span className="block font-mono text-[13px] font-medium text-zinc-900 dark:text-zinc-100">{scope}</span>
                    <span className="block text-xs text-zinc-500 dark:text-zinc-400">{scopeDescriptions[scope]}</span>
                  </span>
                </label>
              );
            })}
          </div>
          <p id={`${id}-scopes-help`} className={scopesMissing ? errorClass : helpClass}>
            {scopesMissing ? "Pick at least one scope." : "A token never does more than its owner may, and no token can approve a production checkpoint."}
          </p>
        </fieldset>
      </div>

      {create.error ? (
        <div className="px-4 pb-4 sm:px-5">
          <Alert tone="danger" title="The token was not created">
            {problemMessage(create.error)}
          </Alert>
        </div>
      ) : null}

      <div className="flex flex-col-reverse gap-2 border-t border-zinc-200 bg-zinc-50 px-4 py-3 sm:flex-row sm:justify-end sm:px-5 dark:border-zinc-800 dark:bg-zinc-950/40">
        <button type="button" className={buttonClass()} onClick={onCancel} disabled={create.isPending}>
          Cancel
        </button>
        <button type="submit" className={buttonClass({ variant: "primary" })} disabled={create.isPending} aria-busy={create.isPending || undefined}>
          {create.isPending ? <Spinner size={14} /> : null}
          Create token
        </button>
      </div>
    </form>
  );
}
