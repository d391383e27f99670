-- SIMILAR ranks with pg_trgm (created by the first migration; here too for databases restored without it)
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- AlterEnum
ALTER TYPE "JobKind" ADD VALUE 'SALES_IMPORT';

-- CreateTable
CREATE TABLE "imported_sales" (
    "id" BIGSERIAL NOT NULL,
    "seller_id" TEXT NOT NULL,
    "product_id" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,
    "sold_at" TIMESTAMPTZ(3) NOT NULL,
    "job_id" UUID NOT NULL,
    "row" INTEGER NOT NULL,

    CONSTRAINT "imported_sales_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_forecasts" (
    "product_id" INTEGER NOT NULL,
    "seller_id" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "level" DOUBLE PRECISION NOT NULL,
    "trend" DOUBLE PRECISION NOT NULL,
    "sigma" DOUBLE PRECISION NOT NULL,
    "history_days" INTEGER NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stock_forecasts_pkey" PRIMARY KEY ("product_id")
);

-- CreateTable
CREATE TABLE "bought_together" (
    "product_id" INTEGER NOT NULL,
    "other_id" INTEGER NOT NULL,
    "seller_id" TEXT NOT NULL,
    "together" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "bought_together_pkey" PRIMARY KEY ("product_id","other_id")
);

-- CreateTable
CREATE TABLE "category_models" (
    "seller_id" TEXT NOT NULL,
    "model" JSONB NOT NULL,
    "product_count" INTEGER NOT NULL,
    "trained_at" TIMESTAMPTZ(3) NOT NULL,
    "catalog_fingerprint" TEXT,

    CONSTRAINT "category_models_pkey" PRIMARY KEY ("seller_id")
);

-- CreateTable
CREATE TABLE "product_terms" (
    "product_id" INTEGER NOT NULL,
    "seller_id" TEXT NOT NULL,
    "term" TEXT NOT NULL,

    CONSTRAINT "product_terms_pkey" PRIMARY KEY ("product_id","term")
);

-- CreateIndex
CREATE INDEX "imported_sales_seller_id_sold_at_idx" ON "imported_sales"("seller_id", "sold_at");

-- CreateIndex
CREATE INDEX "imported_sales_product_id_sold_at_idx" ON "imported_sales"("product_id", "sold_at");

-- CreateIndex
CREATE UNIQUE INDEX "imported_sales_job_id_row_key" ON "imported_sales"("job_id", "row");

-- CreateIndex
CREATE INDEX "stock_forecasts_seller_id_idx" ON "stock_forecasts"("seller_id");

-- CreateIndex
CREATE INDEX "bought_together_seller_id_idx" ON "bought_together"("seller_id");

-- CreateIndex
CREATE INDEX "product_terms_seller_id_term_idx" ON "product_terms"("seller_id", "term");

-- CreateIndex
CREATE INDEX "stock_movements_seller_id_reason_created_at_idx" ON "stock_movements"("seller_id", "reason", "created_at");
