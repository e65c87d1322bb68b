import type { ComponentProps } from "react";

type IconProps = ComponentProps<"svg"> & { size?: number };

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

export const SearchIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="7" cy="7" r="4.25" />
    <path d="m10.25 10.25 3.25 3.25" />
  </Icon>
);
export const XIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="m4.5 4.5 7 7m0-7-7 7" />
  </Icon>
);
export const ChevronDownIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="m4.5 6.25 3.5 3.5 3.5-3.5" />
  </Icon>
);
export const ChevronRightIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="m6.25 4.5 3.5 3.5-3.5 3.5" />
  </Icon>
);
export const ArrowRightIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M3 8h10m-4-4 4 4-4 4" />
  </Icon>
);
export const SunIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="2.75" />
    <path d="M8 1.75v1.5m0 9.5v1.5M1.75 8h1.5m9.5 0h1.5M3.6 3.6l1.05 1.05m6.7 6.7 1.05 1.05m0-8.8-1.05 1.05m-6.7 6.7L3.6 12.4" />
  </Icon>
);
export const MoonIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M13.25 9.6A5.5 5.5 0 0 1 6.4 2.75a5.5 5.5 0 1 0 6.85 6.85Z" />
  </Icon>
);
export const MonitorIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="1.75" y="2.75" width="12.5" height="8.5" rx="1.25" />
    <path d="M5.5 13.75h5M8 11.25v2.5" />
  </Icon>
);
export const ExternalLinkIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M9.5 2.75h3.75V6.5M13 3 7.75 8.25M11.5 9.5v2.75c0 .55-.45 1-1 1H3.75c-.55 0-1-.45-1-1V5.5c0-.55.45-1 1-1H6.5" />
  </Icon>
);
export const MailIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="1.75" y="3.25" width="12.5" height="9.5" rx="1.25" />
    <path d="m2.25 4 5.75 4.5L13.75 4" />
  </Icon>
);
export const HashIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M3 6h10.5M2.5 10H13M6.5 2.5l-1 11m5-11-1 11" />
  </Icon>
);
export const BookIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M2.75 3.25c1.9-.6 3.6-.4 5.25.75v9.25c-1.65-1.15-3.35-1.35-5.25-.75V3.25Zm10.5 0c-1.9-.6-3.6-.4-5.25.75v9.25c1.65-1.15 3.35-1.35 5.25-.75V3.25Z" />
  </Icon>
);
export const ChartIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M2.25 2.25v11.5h11.5" />
    <path d="m4.75 10 2.75-3.25 2 2 3.5-4.5" />
  </Icon>
);
export const BellIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M4 11.25V7a4 4 0 1 1 8 0v4.25l1.25 1.25H2.75L4 11.25ZM6.5 14h3" />
  </Icon>
);
export const RepoIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M3.25 12.75V3.25c0-.83.67-1.5 1.5-1.5h8v9.5h-8c-.83 0-1.5.67-1.5 1.5Zm0 0c0 .83.67 1.5 1.5 1.5h8" />
    <path d="M6 5h4" />
  </Icon>
);
export const LinkIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M6.75 9.25a2.5 2.5 0 0 0 3.55 0l2.2-2.2a2.5 2.5 0 0 0-3.55-3.55l-.7.7" />
    <path d="M9.25 6.75a2.5 2.5 0 0 0-3.55 0l-2.2 2.2a2.5 2.5 0 0 0 3.55 3.55l.7-.7" />
  </Icon>
);
export const UsersIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="6" cy="5.5" r="2.25" />
    <path d="M1.75 13.25c.4-2.1 2.1-3.5 4.25-3.5s3.85 1.4 4.25 3.5" />
    <path d="M10.5 3.5a2.25 2.25 0 0 1 0 4.25M12 9.9c1.2.5 2 1.7 2.25 3.35" />
  </Icon>
);
export const ComponentIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 1.75 13.5 4.9v6.2L8 14.25 2.5 11.1V4.9L8 1.75Z" />
    <path d="M2.75 5 8 8l5.25-3M8 8v6" />
  </Icon>
);
export const ApiIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="2.25" />
    <path d="M8 1.75v4m0 4.5v4M1.75 8h4m4.5 0h4" />
  </Icon>
);
export const ResourceIcon = (p: IconProps) => (
  <Icon {...p}>
    <ellipse cx="8" cy="3.75" rx="5" ry="1.75" />
    <path d="M3 3.75v8.5c0 .97 2.24 1.75 5 1.75s5-.78 5-1.75v-8.5M3 8c0 .97 2.24 1.75 5 1.75S13 8.97 13 8" />
  </Icon>
);
export const FilterIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M2.25 3.75h11.5M4.5 8h7M6.75 12.25h2.5" />
  </Icon>
);
export const AlertIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M7.13 2.5a1 1 0 0 1 1.74 0l5.5 9.75a1 1 0 0 1-.87 1.5H2.5a1 1 0 0 1-.87-1.5l5.5-9.75Z" />
    <path d="M8 6.25v2.75m0 2.25h.01" />
  </Icon>
);
export const CopyIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="5.25" y="5.25" width="8.5" height="8.5" rx="1.25" />
    <path d="M10.75 5.25V3.5c0-.69-.56-1.25-1.25-1.25h-6c-.69 0-1.25.56-1.25 1.25v6c0 .69.56 1.25 1.25 1.25h1.75" />
  </Icon>
);
export const CheckIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="m3.25 8.25 3 3 6.5-6.5" />
  </Icon>
);
export const CompassIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="6.25" />
    <path d="m10.5 5.5-1.5 3.5-3.5 1.5 1.5-3.5 3.5-1.5Z" />
  </Icon>
);
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
export const PersonIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="5.25" r="2.5" />
    <path d="M3 13.5c.5-2.5 2.4-4 5-4s4.5 1.5 5 4" />
  </Icon>
);
export const KeyIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="5.25" cy="10.75" r="2.75" />
    <path d="m7.25 8.75 6-6M11.25 4.75l1.75 1.75M9.75 6.25l1.25 1.25" />
  </Icon>
);
export const CogIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="2" />
    <path d="M8 1.75v1.5M8 12.75v1.5M1.75 8h1.5M12.75 8h1.5M3.6 3.6l1.05 1.05M11.35 11.35l1.05 1.05M3.6 12.4l1.05-1.05M11.35 4.65l1.05-1.05" />
  </Icon>
);
export const InfoIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="6.25" />
    <path d="M8 7.25v3.5M8 5.25h.01" />
  </Icon>
);
export const ShieldAlertIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 1.75 2.75 3.75v3.5c0 3 2.2 5.4 5.25 6.5 3.05-1.1 5.25-3.5 5.25-6.5v-3.5L8 1.75Z" />
    <path d="M8 5v3.25M8 10.5h.01" />
  </Icon>
);
export const DownloadIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 2.25v7.5M5 7l3 3 3-3M2.75 13.25h10.5" />
  </Icon>
);
export const SignOutIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M9.25 2.75h-5a1.5 1.5 0 0 0-1.5 1.5v7.5a1.5 1.5 0 0 0 1.5 1.5h5" />
    <path d="M6.5 8h7.25M11 5.25 13.75 8 11 10.75" />
  </Icon>
);
export const SignInIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M6.75 2.75h5a1.5 1.5 0 0 1 1.5 1.5v7.5a1.5 1.5 0 0 1-1.5 1.5h-5" />
    <path d="M2.25 8H9.5M6.75 5.25 9.5 8l-2.75 2.75" />
  </Icon>
);
export const ScrollIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="3" y="2" width="10" height="12" rx="1.5" />
    <path d="M5.5 5.25h5M5.5 8h5M5.5 10.75h3" />
  </Icon>
);
export const PlusIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 3v10M3 8h10" />
  </Icon>
);
export const TerminalIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="1.75" y="2.75" width="12.5" height="10.5" rx="1.5" />
    <path d="m4.75 6.25 2 1.75-2 1.75M8.5 10.25h2.75" />
  </Icon>
);
export const RefreshIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M13.25 8a5.25 5.25 0 0 1-9.3 3.35M2.75 8a5.25 5.25 0 0 1 9.3-3.35" />
    <path d="M12.25 2v2.75H9.5M3.75 14v-2.75H6.5" />
  </Icon>
);
