import type { ComponentProps } from "react";

type IconProps = ComponentProps<"svg"> & { size?: number };

/** Icons the release screens need beyond components/ui/icons, drawn on the same 16px grid and stroke. */
function Icon({ size = 16, children, ...props }: IconProps) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
      focusable="false"
      {...props}
    >
      {children}
    </svg>
  );
}

export const CommitIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="2.5" />
    <path d="M1.75 8h3.75m5 0h3.75" />
  </Icon>
);
export const ClockIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="6.25" />
    <path d="M8 4.5V8l2.25 1.5" />
  </Icon>
);
export const LockIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="3" y="7" width="10" height="7" rx="1.25" />
    <path d="M5.25 7V5a2.75 2.75 0 0 1 5.5 0v2" />
  </Icon>
);
export const ShieldCheckIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 1.75 13.25 3.5v4c0 3.1-2.2 5.6-5.25 6.75C4.95 13.1 2.75 10.6 2.75 7.5v-4L8 1.75Z" />
    <path d="m5.75 8 1.5 1.5 3-3" />
  </Icon>
);
export const UndoIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M5.5 3.25 2.25 6.5 5.5 9.75" />
    <path d="M2.5 6.5h7a4 4 0 0 1 0 8H7" />
  </Icon>
);
export const RestartIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M13.25 8A5.25 5.25 0 1 1 11.5 4.1" />
    <path d="M13.25 2.25v3.5h-3.5" />
  </Icon>
);
export const PauseIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M5.75 3.5v9m4.5-9v9" />
  </Icon>
);
export const PlayIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M4.75 3.25v9.5L12.5 8 4.75 3.25Z" />
  </Icon>
);
export const RocketIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M9.5 11.5 6.5 8.5c1.25-3.6 3.6-6.05 7.75-6.75-.7 4.15-3.15 6.5-6.75 7.75Z" />
    <path d="M6.5 8.5 4 8l1.75-2.5H8.5M9.5 11.5l.5 2.5 2.5-1.75V9.5" />
    <path d="M4.25 11.75c-.9.4-1.5 1.25-1.75 2.5 1.25-.25 2.1-.85 2.5-1.75" />
  </Icon>
);
export const StopIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="3.5" y="3.5" width="9" height="9" rx="1.25" />
  </Icon>
);
export const FastForwardIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M2.25 3.75v8.5L8 8 2.25 3.75ZM8 3.75v8.5L13.75 8 8 3.75Z" />
  </Icon>
);
export const SnowflakeIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 1.75v12.5M2.6 4.875l10.8 6.25M2.6 11.125l10.8-6.25" />
    <path d="m6.25 2.75 1.75 1.5 1.75-1.5m-3.5 10.5L8 11.75l1.75 1.5" />
  </Icon>
);
export const InboxIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M2 9.5 3.9 3.4c.15-.4.5-.65.95-.65h6.3c.45 0 .8.25.95.65L14 9.5v3c0 .55-.45 1-1 1H3c-.55 0-1-.45-1-1v-3Z" />
    <path d="M2 9.5h3.5l1 1.75h3l1-1.75H14" />
  </Icon>
);
export const XCircleIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="6.25" />
    <path d="m5.75 5.75 4.5 4.5m0-4.5-4.5 4.5" />
  </Icon>
);
export const CheckCircleIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="6.25" />
    <path d="m5.5 8.25 1.75 1.75 3.25-3.5" />
  </Icon>
);
export const CloudOffIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M2 2l12 12" />
    <path d="M11.5 12.25H4.5a3 3 0 0 1-.6-5.95M6.1 4.1A4 4 0 0 1 12 6.75a2.75 2.75 0 0 1 2 3.9" />
  </Icon>
);
