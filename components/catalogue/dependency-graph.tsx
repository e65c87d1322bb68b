import Link from "next/link";
import type { EntityRef } from "@/server/catalogue/contract";
import { entityHref, kindLabel } from "./entity-href";
import type { RelationSection } from "./service-relations";

/*
 * A pure-SVG, server-rendered picture of one service's neighbourhood: what uses it on the left, the service in the
 * middle, what it uses (and the APIs it provides or consumes) on the right. Every node is a link. It is drawn in a
 * fixed coordinate space and scaled to the card; the page hides it where it would be too small to read and shows
 * the lists instead.
 */

const width = 880;
const nodeWidth = 220;
const nodeHeight = 32;
const nodeGap = 6;
const headerHeight = 24;
const groupGap = 14;
const padding = 12;
const centerWidth = 240;
const centerHeight = 56;
const maxPerGroup = 8;
const maxNameChars = 24;

type Node = {
  key: string;
  x: number;
  y: number;
  ref?: EntityRef;
  /** "+N more" stands in for the rest of a long group and links to its list. */
  more?: { count: number; href: string };
  section: RelationSection;
};

type Header = { key: string; x: number; y: number; title: string; count: number };

function layoutColumn(sections: RelationSection[], x: number) {
  const nodes: Node[] = [];
  const headers: Header[] = [];
  let y = padding;
  for (const section of sections) {
    if (!section.refs.length) continue;
    if (headers.length) y += groupGap;
    headers.push({ key: section.id, x, y, title: section.title, count: section.refs.length });
    y += headerHeight;
    const shown = section.refs.length > maxPerGroup ? section.refs.slice(0, maxPerGroup - 1) : section.refs;
    for (const ref of shown) {
      nodes.push({ key: `${section.id}:${ref.kind}:${ref.name}`, x, y, ref, section });
      y += nodeHeight + nodeGap;
    }
    if (shown.length < section.refs.length) {
      nodes.push({ key: `${section.id}:more`, x, y, section, more: { count: section.refs.length - shown.length, href: `#${section.id}` } });
      y += nodeHeight + nodeGap;
    }
  }
  return { nodes, headers, height: y - nodeGap + padding };
}

function truncate(text: string, max: number) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function edgePath(x1: number, y1: number, x2: number, y2: number) {
  const dx = Math.max(40, (x2 - x1) / 2);
  return `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
}

export function DependencyGraph({
  center,
  left,
  right,
}: {
  center: { name: string; title: string | null; kind: string };
  left: RelationSection[];
  right: RelationSection[];
}) {
  const leftColumn = layoutColumn(left, 0);
  const rightColumn = layoutColumn(right, width - nodeWidth);
  const height = Math.max(leftColumn.height, rightColumn.height, centerHeight + 2 * padding + headerHeight);
  const cx = (width - centerWidth) / 2;
  const cy = Math.max(padding + headerHeight, (height - centerHeight) / 2);
  const centerMid = cy + centerHeight / 2;

  const edges = [
    ...leftColumn.nodes.map((n) => {
      const y = n.y + nodeHeight / 2;
      const from = { x: n.x + nodeWidth, y };
      const to = { x: cx, y: centerMid };
      // Left-hand entities use this one: the arrow points at the centre.
      return { key: n.key, d: edgePath(from.x, from.y, to.x - 2, to.y), api: n.section.api, muted: !!n.more || n.ref?.exists === false };
    }),
    ...rightColumn.nodes.map((n) => {
      const y = n.y + nodeHeight / 2;
      const d =
        n.section.direction === "out"
          ? edgePath(cx + centerWidth, centerMid, n.x - 2, y)
          : // A provider on the right still points at the API in the middle.
            `M${n.x},${y} C${n.x - 60},${y} ${cx + centerWidth + 60},${centerMid} ${cx + centerWidth + 2},${centerMid}`;
      return { key: n.key, d, api: n.section.api, muted: !!n.more || n.ref?.exists === false };
    }),
  ];

  const hasApiEdges = edges.some((e) => e.api);
  const hasDependsOnEdges = edges.some((e) => !e.api);
  const allRefs = [...leftColumn.nodes, ...rightColumn.nodes].flatMap((n) => (n.ref ? [n.ref] : []));
  const hasMissing = allRefs.some((r) => !r.exists);
  const hasTier1 = allRefs.some((r) => r.tier === 1);
  const kind = center.kind === "api" ? "API" : (kindLabel[center.kind]?.one.toLowerCase() ?? center.kind);
  const placeholders = [
    { key: "left", x: 0, show: leftColumn.nodes.length === 0, text: left[0]?.empty ?? "" },
    { key: "right", x: width - nodeWidth, show: rightColumn.nodes.length === 0, text: right[0]?.empty ?? "" },
  ].filter((p) => p.show && p.text);

  return (
    <figure className="m-0">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        className="mx-auto block h-auto w-full max-w-[880px] font-sans"
        // A group, not an image: its nodes are links, and an image's content is hidden from assistive technology.
        role="group"
        aria-label={`Dependency graph of ${center.name}`}
      >
        <defs>
          <marker id="dependency-graph-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0.5 L7.5,4 L0,7.5 Z" className="fill-zinc-400 dark:fill-zinc-500" />
          </marker>
          <marker id="dependency-graph-arrow-api" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0.5 L7.5,4 L0,7.5 Z" className="fill-indigo-400 dark:fill-indigo-400" />
          </marker>
        </defs>

        <g fill="none">
          {edges.map((edge) => (
            <path
              key={edge.key}
              d={edge.d}
              strokeWidth={1.25}
              strokeDasharray={edge.api ? "4 3" : undefined}
              markerEnd={`url(#dependency-graph-arrow${edge.api ? "-api" : ""})`}
              className={
                edge.api
                  ? "stroke-indigo-300 dark:stroke-indigo-400/60"
                  : edge.muted
                    ? "stroke-zinc-200 dark:stroke-zinc-700"
                    : "stroke-zinc-300 dark:stroke-zinc-600"
              }
            />
          ))}
        </g>

        {[...leftColumn.headers, ...rightColumn.headers].map((h) => (
          <text key={h.key} x={h.x + 2} y={h.y + 14} className="fill-zinc-500 text-[11px] font-semibold tracking-wide uppercase dark:fill-zinc-400">
            {h.title}
            <tspan className="fill-zinc-400 font-normal dark:fill-zinc-500"> {h.count}</tspan>
          </text>
        ))}

        {[...leftColumn.nodes, ...rightColumn.nodes].map((node) => (
          <GraphNode key={node.key} node={node} />
        ))}

        {placeholders.map((p) => (
          <foreignObject key={p.key} x={p.x} y={centerMid - 22} width={nodeWidth} height={44}>
            <p className="flex h-full items-center justify-center rounded-md border border-dashed border-zinc-200 px-3 text-center text-[11px] leading-snug text-zinc-400 dark:border-zinc-800 dark:text-zinc-500">
              {p.text}
            </p>
          </foreignObject>
        ))}

        <g>
          <rect
            x={cx}
            y={cy}
            width={centerWidth}
            height={centerHeight}
            rx={8}
            strokeWidth={1.5}
            className="fill-indigo-50 stroke-indigo-500 dark:fill-indigo-500/15 dark:stroke-indigo-400"
          />
          <text x={cx + centerWidth / 2} y={cy + 24} textAnchor="middle" className="fill-zinc-900 font-mono text-[13px] font-semibold dark:fill-zinc-50">
            {truncate(center.name, 28)}
          </text>
          <text x={cx + centerWidth / 2} y={cy + 42} textAnchor="middle" className="fill-zinc-500 text-[11px] dark:fill-zinc-400">
            {truncate(center.title ? `${center.title} · ${kind}` : kind, 36)}
          </text>
        </g>
      </svg>
      <figcaption className="mt-3 flex flex-wrap items-center gap-x-5 gap-y-1 text-[11px] text-zinc-500 dark:text-zinc-400">
        {hasDependsOnEdges ? (
          <span className="flex items-center gap-1.5">
            <svg width="28" height="8" aria-hidden>
              <path d="M1,4 H22" className="stroke-zinc-400 dark:stroke-zinc-500" strokeWidth="1.25" />
              <path d="M21,1 L27,4 L21,7 Z" className="fill-zinc-400 dark:fill-zinc-500" />
            </svg>
            depends on
          </span>
        ) : null}
        {hasApiEdges ? (
          <span className="flex items-center gap-1.5">
            <svg width="28" height="8" aria-hidden>
              <path d="M1,4 H22" className="stroke-indigo-400" strokeWidth="1.25" strokeDasharray="4 3" />
              <path d="M21,1 L27,4 L21,7 Z" className="fill-indigo-400" />
            </svg>
            provides or consumes an API
          </span>
        ) : null}
        {hasMissing ? (
          <span className="flex items-center gap-1.5">
            <svg width="14" height="10" aria-hidden>
              <rect x="0.5" y="0.5" width="13" height="9" rx="2" fill="none" strokeDasharray="2 2" className="stroke-zinc-400 dark:stroke-zinc-500" />
            </svg>
            not in the catalogue
          </span>
        ) : null}
        {hasTier1 ? (
          <span className="flex items-center gap-1.5">
            <span className="size-1.5 rounded-full bg-red-500" aria-hidden />
            tier 1
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}

function GraphNode({ node }: { node: Node }) {
  if (node.more) {
    return (
      <a href={node.more.href} className="group outline-none">
        <rect
          x={node.x}
          y={node.y}
          width={nodeWidth}
          height={nodeHeight}
          rx={6}
          className="fill-zinc-50 stroke-zinc-200 group-hover:stroke-zinc-400 group-focus-visible:stroke-indigo-500 dark:fill-zinc-900 dark:stroke-zinc-700"
        />
        <text x={node.x + 12} y={node.y + 20} className="fill-zinc-500 text-[12px] dark:fill-zinc-400">
          +{node.more.count} more — see the list below
        </text>
      </a>
    );
  }
  const ref = node.ref!;
  const href = ref.exists ? entityHref(ref.kind, ref.name) : null;
  const kindTag = ref.kind === "api" ? "API" : ref.kind === "resource" ? "resource" : ref.kind === "component" ? null : ref.kind;
  const tier1 = ref.tier === 1;
  const body = (
    <>
      <title>
        {ref.exists ? `${ref.name}${ref.title ? ` — ${ref.title}` : ""}${ref.team ? ` (owned by ${ref.team})` : ""}` : `${ref.name}: not in the catalogue`}
      </title>
      <rect
        x={node.x}
        y={node.y}
        width={nodeWidth}
        height={nodeHeight}
        rx={6}
        strokeDasharray={ref.exists ? undefined : "3 3"}
        className={
          ref.exists
            ? "fill-white stroke-zinc-300 transition-colors group-hover:fill-zinc-50 group-hover:stroke-indigo-400 group-focus-visible:stroke-indigo-500 group-focus-visible:stroke-2 dark:fill-zinc-900 dark:stroke-zinc-700 dark:group-hover:fill-zinc-800 dark:group-hover:stroke-indigo-400"
            : "fill-zinc-50 stroke-zinc-300 dark:fill-zinc-900/40 dark:stroke-zinc-700"
        }
      />
      {tier1 ? <circle cx={node.x + 12} cy={node.y + nodeHeight / 2} r={3} className="fill-red-500" /> : null}
      <text
        x={node.x + (tier1 ? 22 : 12)}
        y={node.y + 20}
        className={ref.exists ? "fill-zinc-800 font-mono text-[12px] dark:fill-zinc-200" : "fill-zinc-400 font-mono text-[12px] dark:fill-zinc-500"}
      >
        {truncate(ref.name, kindTag ? maxNameChars - 5 : maxNameChars)}
      </text>
      {kindTag || !ref.exists ? (
        <text x={node.x + nodeWidth - 10} y={node.y + 20} textAnchor="end" className="fill-zinc-400 text-[10px] dark:fill-zinc-500">
          {ref.exists ? kindTag : "missing"}
        </text>
      ) : null}
    </>
  );
  return href ? (
    // Named by its <title>, which starts with the name the node shows.
    <Link href={href} className="group outline-none">
      {body}
    </Link>
  ) : (
    <g>{body}</g>
  );
}
