-- CreateTable
CREATE TABLE "api_key" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "scope_all" BOOLEAN NOT NULL DEFAULT false,
    "account_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "backends" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "recipient_id" TEXT,
    "secret_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "seq" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "principal_id" TEXT NOT NULL,
    "principal_name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "target" TEXT,
    "backend" TEXT,
    "account_id" TEXT,
    "arguments" JSONB NOT NULL,
    "result_code" TEXT NOT NULL,
    "backend_status" INTEGER,
    "duration_ms" INTEGER NOT NULL,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "audit_log_principal_id_seq_idx" ON "audit_log"("principal_id", "seq");

-- CreateIndex
CREATE INDEX "audit_log_account_id_seq_idx" ON "audit_log"("account_id", "seq");

-- CreateIndex
CREATE INDEX "audit_log_backend_seq_idx" ON "audit_log"("backend", "seq");

-- Not expressible in schema.prisma (Prisma neither creates nor diffs CHECK constraints).
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_role_check"
    CHECK ("role" IN ('ADMIN', 'SUPERVISOR', 'AGENT', 'VIEWER'));
