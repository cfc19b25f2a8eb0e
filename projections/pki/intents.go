package pki

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// intentsDDL is the table of signing intents not yet recorded or voided, for the sweep that
// voids those an outage left open (commands.VoidStaleSigningsHandler).
const intentsDDL = `
CREATE TABLE IF NOT EXISTS signing_intents (
	ca_id uuid NOT NULL,
	serial text COLLATE "C" NOT NULL,
	stream text NOT NULL,
	started_at timestamptz NOT NULL,
	PRIMARY KEY (ca_id, serial));
CREATE INDEX IF NOT EXISTS signing_intents_started_at ON signing_intents (started_at);
`

// Statements of the batch's intents: new ones, and the keys of those recorded or voided.
const (
	intentsInsertSQL = `INSERT INTO signing_intents (ca_id, serial, stream, started_at)
	SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])`
	intentsDeleteSQL = `DELETE FROM signing_intents WHERE (ca_id, serial) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))`
)

// intentKey names a signature: the signing CA and the serial.
type intentKey struct {
	caID   uuid.UUID
	serial string
}

// intentRow is a row of signing_intents.
type intentRow struct {
	stream    string
	startedAt time.Time
}

// intents are the batch's changes to signing_intents. An intent recorded in the batch that
// announced it never reaches the table.
type intents struct {
	started  map[intentKey]intentRow
	finished []intentKey
}

// track folds the signing side of an event: an intent opens a row, a recorded or voided
// signature closes it. It reports an event it cannot key.
func (in *intents) track(e domain.Event, stream string) error {
	sig, ok := domain.SignatureOf(e)
	if !ok || sig.Serial == "" {
		return nil
	}
	id, err := uuid.Parse(sig.CAID)
	if err != nil {
		return fmt.Errorf("signing CA id: %w", err)
	}
	key := intentKey{caID: id, serial: sig.Serial}
	switch {
	case sig.Open:
		if in.started == nil {
			in.started = map[intentKey]intentRow{}
		}
		in.started[key] = intentRow{stream: stream, startedAt: e.(domain.SigningStarted).StartedAt.UTC()}
	case in.started[key] != intentRow{}:
		delete(in.started, key)
	default:
		in.finished = append(in.finished, key)
	}
	return nil
}

// args returns the statements' arrays: the new rows, then the closed keys.
func (in *intents) args() (insert, remove []any) {
	var (
		ids, doneIDs         [][16]byte
		serials, doneSerials []string
		streams              []string
		startedAt            []time.Time
	)
	for k, r := range in.started {
		ids, serials, streams, startedAt = append(ids, k.caID), append(serials, k.serial), append(streams, r.stream), append(startedAt, r.startedAt)
	}
	for _, k := range in.finished {
		doneIDs, doneSerials = append(doneIDs, k.caID), append(doneSerials, k.serial)
	}
	return []any{ids, serials, streams, startedAt}, []any{doneIDs, doneSerials}
}

// StaleSignings returns the streams holding signing intents started before t and neither
// recorded nor voided since, oldest first, at most limit intents' worth.
func (q *Queries) StaleSignings(ctx context.Context, t time.Time, limit int) ([]string, error) {
	rows, err := q.pool.Query(ctx, `SELECT stream FROM rm_pki.signing_intents
		WHERE started_at < $1 ORDER BY started_at LIMIT $2`, t, limit)
	if err != nil {
		return nil, fmt.Errorf("signing intents started before %s: %w", t.Format(time.RFC3339), err)
	}
	defer rows.Close()
	var out []string
	seen := map[string]bool{}
	for rows.Next() {
		var stream string
		if err := rows.Scan(&stream); err != nil {
			return nil, err
		}
		if !seen[stream] {
			seen[stream], out = true, append(out, stream)
		}
	}
	return out, rows.Err()
}
