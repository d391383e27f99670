-- CreateTable
-- UNLOGGED: staged rows are cheap to write and need no crash safety (an import re-reads its file)
CREATE UNLOGGED TABLE "import_staged_rows" (
    "run" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "row" INTEGER NOT NULL,
    "sku" TEXT,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "price" DECIMAL(14,2) NOT NULL,
    "category" TEXT NOT NULL,
    "quantity" INTEGER,
    "low_stock_threshold" INTEGER,

    CONSTRAINT "import_staged_rows_pkey" PRIMARY KEY ("run","row")
);

-- CreateIndex
CREATE INDEX "import_staged_rows_job_id_idx" ON "import_staged_rows"("job_id");
