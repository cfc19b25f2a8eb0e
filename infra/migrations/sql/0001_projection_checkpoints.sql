-- The checkpoint of each projection: the position in $all of the last event it has applied (or
-- skipped). A projection writes its read-model rows and its checkpoint in one transaction, so the
-- rows always reflect exactly the events up to position. Position 0 means "nothing applied yet".
CREATE TABLE projection_checkpoints (
    name       text        PRIMARY KEY,
    position   bigint      NOT NULL CHECK (position >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);
