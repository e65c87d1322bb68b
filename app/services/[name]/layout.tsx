import type { ReactNode } from "react";
import { ServiceLayout } from "@/components/catalogue/service-layout";

export const dynamic = "force-dynamic";

export default async function Layout({ params, children }: { params: Promise<{ name: string }>; children: ReactNode }) {
  const { name } = await params;
  return (
    <ServiceLayout kind="component" name={name}>
      {children}
    </ServiceLayout>
  );
}
