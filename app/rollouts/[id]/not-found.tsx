import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { InboxIcon } from "@/components/releases/icons";

export default function RolloutNotFound() {
  return (
    <div className="mx-auto max-w-[1440px] px-4 py-10 md:px-6">
      <EmptyState
        icon={<InboxIcon size={18} />}
        title="There is no such rollout"
        description="The link may be mistyped, or it points to a rollout from another Slipway."
        action={
          <>
            <Link href="/approvals" className={buttonClass({ variant: "primary", size: "sm" })}>
              Open approvals
            </Link>
            <Link href="/" className={buttonClass({ size: "sm" })}>
              Back to the catalogue
            </Link>
          </>
        }
      />
    </div>
  );
}
