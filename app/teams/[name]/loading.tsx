import { TeamPageSkeleton } from "@/components/catalogue/team-skeleton";

export default function Loading() {
  return <TeamPageSkeleton />;
}
