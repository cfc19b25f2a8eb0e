package commands

import (
	"context"

	"github.com/certledger/certledger/domain"
)

// CAChain returns a CA's certificate followed by those above it, up to the root, as DER; a CA
// never created is KindNotFound.
func (q *Queries) CAChain(ctx context.Context, caID string) ([][]byte, error) {
	ca, err := q.core.loadCA(ctx, caID)
	if err != nil {
		return nil, err
	}
	above, err := q.core.loadChainAbove(ctx, ca)
	if err != nil {
		return nil, err
	}
	chain := [][]byte{ca.Certificate().Raw}
	for _, c := range above {
		chain = append(chain, c.Raw)
	}
	return chain, nil
}

// Profile folds a profile from its stream; a profile never defined is KindNotFound.
func (q *Queries) Profile(ctx context.Context, name string) (*domain.Profile, error) {
	return q.core.loadProfile(ctx, name)
}
