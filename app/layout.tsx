import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { AppFrame } from "@/components/layout/app-frame";
import { Providers } from "@/components/layout/providers";
import { SkipLink } from "@/components/layout/skip-link";
import { themeScript } from "@/components/layout/theme-script";
import { TopBar } from "@/components/layout/top-bar";
import "./globals.css";

export const metadata: Metadata = { title: { default: "Slipway", template: "%s · Slipway" } };

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#09090b" },
  ],
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // The proxy's Content-Security-Policy allows inline scripts by nonce; the theme script is static, so its hash
  // would do as well.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    // The theme script sets the `dark` class before React hydrates, so the class is allowed to differ.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen bg-white font-sans text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <Providers>
          <SkipLink />
          <AppFrame topBar={<TopBar />}>{children}</AppFrame>
        </Providers>
      </body>
    </html>
  );
}
