/**
 * The slot for "which version runs where". The cluster integration will pass `versions` (environment -> version,
 * e.g. { staging: "1.43.0", production: "1.42.1" }); until then nothing is rendered.
 */
export function RunningVersions({ versions }: { versions?: Record<string, string> }) {
  const entries = versions ? Object.entries(versions) : [];
  if (!entries.length) return null;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Running versions">
      {entries.map(([environment, version]) => (
        <li
          key={environment}
          className="inline-flex items-center overflow-hidden rounded text-[11px] leading-4 ring-1 ring-inset ring-zinc-200 dark:ring-zinc-700"
        >
          <span className="bg-zinc-50 px-1.5 text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400">{environment}</span>
          <span className="px-1.5 font-mono text-zinc-800 dark:text-zinc-200">{version}</span>
        </li>
      ))}
    </ul>
  );
}
