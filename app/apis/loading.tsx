import { ServiceSkeleton } from "@/components/catalogue/service-skeleton";

export default function Loading() {
  return <ServiceSkeleton />;
}
