import { CatalogueSkeleton } from "@/components/catalogue/catalogue-skeleton";

export default function Loading() {
  return <CatalogueSkeleton />;
}
