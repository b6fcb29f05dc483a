-- A second factor for signing in (TOTP, RFC 6238), required of staff and admins, and the
-- recovery codes that stand in for a lost phone. A session remembers whether its sign-in
-- included the second factor; a password sign-in waits for it in `pending_sign_ins`.
-- Kept in lockstep with ../postgres/0011_second_factor.sql.

CREATE TABLE second_factors (
    account_id BIGINT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    -- base32; it must be readable to check codes, so it is the one secret not stored hashed
    secret TEXT NOT NULL,
    -- NULL while enrolling (until a first code proves the authenticator has it)
    enabled_at BIGINT,
    -- the last 30-second step a code was accepted for: each code works once
    last_step BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE recovery_codes (
    code_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    used_at BIGINT
);
CREATE INDEX recovery_codes_account ON recovery_codes(account_id);

CREATE TABLE pending_sign_ins (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    next TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

ALTER TABLE sessions ADD COLUMN second_factor INTEGER NOT NULL DEFAULT 0;
