import type { ReactNode } from "react";
import { ServiceLayout } from "@/components/catalogue/service-layout";

// ServiceLayout answers a missing name with notFound(). No loading.tsx sits above this layout (the tab skeleton is
// [name]/loading.tsx, below it), so nothing has streamed yet and the answer is a real 404.
export const dynamic = "force-dynamic";

export default async function Layout({ params, children }: { params: Promise<{ name: string }>; children: ReactNode }) {
  const { name } = await params;
  return (
    <ServiceLayout kind="resource" name={name}>
      {children}
    </ServiceLayout>
  );
}
