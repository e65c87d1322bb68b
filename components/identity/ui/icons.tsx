import type { ComponentProps } from "react";

// Icons components/ui/icons.tsx does not have (yet), drawn on the same 16px grid with the same stroke.
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

export const CheckCircleIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="6.25" />
    <path d="m5.5 8.25 1.75 1.75 3.25-3.5" />
  </Icon>
);

export const InfoIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="6.25" />
    <path d="M8 7.25v3.5M8 5.25h.01" />
  </Icon>
);

export const ShieldCheckIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 1.75 2.75 3.75v3.5c0 3 2.2 5.4 5.25 6.5 3.05-1.1 5.25-3.5 5.25-6.5v-3.5L8 1.75Z" />
    <path d="m5.75 7.75 1.5 1.5 3-3" />
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

export const ClockIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="6.25" />
    <path d="M8 4.75V8l2.25 1.5" />
  </Icon>
);

export const TerminalIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="1.75" y="2.75" width="12.5" height="10.5" rx="1.5" />
    <path d="m4.75 6.25 2 1.75-2 1.75M8.5 10.25h2.75" />
  </Icon>
);

export const LockIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="3" y="7" width="10" height="7" rx="1.5" />
    <path d="M5.25 7V5a2.75 2.75 0 0 1 5.5 0v2" />
  </Icon>
);

export const RefreshIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M13.25 8a5.25 5.25 0 0 1-9.3 3.35M2.75 8a5.25 5.25 0 0 1 9.3-3.35" />
    <path d="M12.25 2v2.75H9.5M3.75 14v-2.75H6.5" />
  </Icon>
);
