-- CreateEnum
CREATE TYPE "JobKind" AS ENUM ('PRODUCT_IMPORT', 'PRODUCT_EXPORT');

-- CreateEnum
CREATE TYPE "JobState" AS ENUM ('QUEUED', 'ACTIVE', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "ImportMode" AS ENUM ('UPSERT', 'CREATE_ONLY');

-- CreateTable
CREATE TABLE "jobs" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "seller_id" TEXT NOT NULL,
    "kind" "JobKind" NOT NULL,
    "state" "JobState" NOT NULL DEFAULT 'QUEUED',
    "mode" "ImportMode",
    "filter" JSONB,
    "blob_key" TEXT NOT NULL,
    "total_rows" INTEGER,
    "processed_rows" INTEGER NOT NULL DEFAULT 0,
    "succeeded_rows" INTEGER NOT NULL DEFAULT 0,
    "failed_rows" INTEGER NOT NULL DEFAULT 0,
    "row_error_count" INTEGER NOT NULL DEFAULT 0,
    "download_url" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_row_errors" (
    "id" BIGSERIAL NOT NULL,
    "job_id" UUID NOT NULL,
    "row" INTEGER NOT NULL,
    "field" TEXT,
    "message" TEXT NOT NULL,

    CONSTRAINT "job_row_errors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhooks" (
    "id" UUID NOT NULL,
    "seller_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "event_types" "EventType"[],
    "secret" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "webhook_id" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "delivered" BOOLEAN NOT NULL,
    "status_code" INTEGER,
    "error" TEXT,
    "duration_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analytics_inbox" (
    "event_id" TEXT NOT NULL,
    "seller_id" TEXT NOT NULL,
    "event_type" "EventType" NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "analytics_inbox_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "analytics_daily_counts" (
    "seller_id" TEXT NOT NULL,
    "event_type" "EventType" NOT NULL,
    "day" DATE NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "analytics_daily_counts_pkey" PRIMARY KEY ("seller_id","event_type","day")
);

-- CreateIndex
CREATE UNIQUE INDEX "jobs_seq_key" ON "jobs"("seq");

-- CreateIndex
CREATE INDEX "jobs_seller_id_seq_idx" ON "jobs"("seller_id", "seq" DESC);

-- CreateIndex
CREATE INDEX "job_row_errors_job_id_row_id_idx" ON "job_row_errors"("job_id", "row", "id");

-- CreateIndex
CREATE INDEX "webhooks_seller_id_created_at_idx" ON "webhooks"("seller_id", "created_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_webhook_id_id_idx" ON "webhook_deliveries"("webhook_id", "id");

-- CreateIndex
CREATE INDEX "webhook_deliveries_webhook_id_event_id_idx" ON "webhook_deliveries"("webhook_id", "event_id");

-- CreateIndex
CREATE INDEX "analytics_inbox_seller_id_occurred_at_idx" ON "analytics_inbox"("seller_id", "occurred_at");

-- AddForeignKey
ALTER TABLE "job_row_errors" ADD CONSTRAINT "job_row_errors_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
