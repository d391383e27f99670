-- CreateTable
CREATE TABLE "relay_positions" (
    "seller_id" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "relay_positions_pkey" PRIMARY KEY ("seller_id")
);

-- Wake the outbox relay when events commit (NOTIFY is delivered at commit, once per seller per transaction).
CREATE FUNCTION amused_notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('amused_events', NEW.seller_id);
  RETURN NULL;
END;
$$;

CREATE TRIGGER events_notify_relay AFTER INSERT ON "events"
  FOR EACH ROW EXECUTE FUNCTION amused_notify_event();
