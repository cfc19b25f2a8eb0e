-- The ACME server's replay nonces (RFC 8555 §6.5). They live here, not in a process, so that
-- a nonce handed out by one ledgerd is accepted by another and survives restarts; each is
-- consumed by the one DELETE … RETURNING that accepts it, so it is used once. Numbered after
-- issue 14 so that it does not take a version another branch may also be adding.
CREATE TABLE acme_nonces (
    nonce      text        PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
CREATE INDEX acme_nonces_expires_at ON acme_nonces (expires_at);
