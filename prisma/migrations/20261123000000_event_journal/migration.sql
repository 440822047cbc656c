-- CreateTable
CREATE TABLE "event_journal" (
    "seq" BIGSERIAL NOT NULL,
    "backend" TEXT NOT NULL,
    "backend_kind" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "reconciled" BOOLEAN NOT NULL DEFAULT false,
    "channel_id" TEXT,
    "account_id" TEXT,
    "user_id" TEXT,
    "device_id" TEXT,
    "recipient_id" TEXT,
    "queue_id" TEXT,
    "payload" JSONB NOT NULL,

    CONSTRAINT "event_journal_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "event_journal_pruned" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "through_seq" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "event_journal_pruned_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_lease" (
    "backend" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ingest_lease_pkey" PRIMARY KEY ("backend")
);

-- CreateIndex
CREATE INDEX "event_journal_backend_seq_idx" ON "event_journal"("backend", "seq");

-- CreateIndex
CREATE INDEX "event_journal_category_seq_idx" ON "event_journal"("category", "seq");

-- CreateIndex
CREATE INDEX "event_journal_channel_id_seq_idx" ON "event_journal"("channel_id", "seq");

-- CreateIndex
CREATE INDEX "event_journal_account_id_seq_idx" ON "event_journal"("account_id", "seq");

-- CreateIndex
CREATE INDEX "event_journal_recipient_id_seq_idx" ON "event_journal"("recipient_id", "seq");

-- CreateIndex
CREATE INDEX "event_journal_received_at_idx" ON "event_journal"("received_at");

-- Not expressible in schema.prisma (Prisma neither creates nor diffs CHECK constraints).
ALTER TABLE "event_journal" ADD CONSTRAINT "event_journal_category_check"
    CHECK ("category" IN ('channel', 'agent', 'object'));
ALTER TABLE "event_journal_pruned" ADD CONSTRAINT "event_journal_pruned_single_row_check"
    CHECK ("id" = 1);
INSERT INTO "event_journal_pruned" ("id", "through_seq") VALUES (1, 0);
