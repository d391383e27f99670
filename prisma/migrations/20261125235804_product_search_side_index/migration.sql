-- CreateTable
CREATE TABLE "product_search" (
    "product_id" INTEGER NOT NULL,
    "seller_id" TEXT NOT NULL,
    "doc" TEXT NOT NULL,

    CONSTRAINT "product_search_pkey" PRIMARY KEY ("product_id")
);

-- CreateTable
CREATE TABLE "product_search_queue" (
    "seller_id" TEXT NOT NULL,
    "product_id" INTEGER NOT NULL,

    CONSTRAINT "product_search_queue_pkey" PRIMARY KEY ("seller_id","product_id")
);

-- AddForeignKey
ALTER TABLE "product_search" ADD CONSTRAINT "product_search_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The products there are now are indexed here; the index is built once they are in.
INSERT INTO "product_search" ("product_id", "seller_id", "doc")
SELECT "id", "seller_id", "name" || ' ' || coalesce("description", '') || ' ' || coalesce("sku", '') FROM "products";

-- CreateIndex
CREATE INDEX "product_search_doc_trgm_idx" ON "product_search" USING GIN ("doc" gin_trgm_ops);

-- DropIndex
DROP INDEX "products_description_trgm_idx";

-- DropIndex
DROP INDEX "products_name_trgm_idx";

-- DropIndex
DROP INDEX "products_sku_trgm_idx";

-- Every product whose searched text (name, description, sku) is new or changed is queued in the
-- writer's transaction, so at every commit a product is either queued or indexed with its text.
-- Inserts are queued per statement (an import batch is one INSERT); updates per row, and only
-- when the text changed (stock updates do not call the function).
CREATE FUNCTION "product_search_queue_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO product_search_queue (seller_id, product_id) SELECT seller_id, id FROM inserted ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER "products_search_inserted" AFTER INSERT ON "products"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "product_search_queue_inserted"();

CREATE FUNCTION "product_search_queue_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO product_search_queue (seller_id, product_id) VALUES (NEW.seller_id, NEW.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER "products_search_changed" AFTER UPDATE OF "name", "description", "sku" ON "products" FOR EACH ROW
  WHEN (OLD."name" IS DISTINCT FROM NEW."name" OR OLD."description" IS DISTINCT FROM NEW."description" OR OLD."sku" IS DISTINCT FROM NEW."sku")
  EXECUTE FUNCTION "product_search_queue_changed"();
