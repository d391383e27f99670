-- AlterTable
ALTER TABLE "events" ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(6);

-- AlterTable
ALTER TABLE "analytics_inbox" ALTER COLUMN "occurred_at" SET DATA TYPE TIMESTAMPTZ(6);

-- AlterTable
ALTER TABLE "sellers" ALTER COLUMN "last_event_at" SET DATA TYPE TIMESTAMPTZ(6);

-- CreateIndex
CREATE INDEX "events_created_at_idx" ON "events"("created_at");

-- Written by hand: writers no longer NOTIFY at commit. pg_notify takes a cluster-wide lock from
-- pre-commit until the commit record is flushed, which serialized every event-writing commit.
-- The committing process now wakes the relay after commit (Redis), and the relay also polls.
DROP TRIGGER IF EXISTS events_notify_relay ON "events";
DROP FUNCTION IF EXISTS amused_notify_event();
