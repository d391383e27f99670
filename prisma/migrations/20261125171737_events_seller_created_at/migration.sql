-- CreateIndex
CREATE INDEX "events_seller_id_created_at_idx" ON "events"("seller_id", "created_at");
