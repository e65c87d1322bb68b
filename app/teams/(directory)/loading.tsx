import { TeamDirectorySkeleton } from "@/components/catalogue/team-skeleton";

export default function Loading() {
  return <TeamDirectorySkeleton />;
}
