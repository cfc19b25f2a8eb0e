package crl

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/certledger/certledger/domain"
)

// partition is one partition of a CA's CRL: the entries whose serial falls in it, and the CRL
// published at its URL. Fields other than crl belong to Refresh.
type partition struct {
	k       int
	url     string // the Issuing Distribution Point, as certificates of the partition name it
	builder *Builder
	dirty   bool // entries added since the last build
	crl     atomic.Pointer[CRL]
}

// newPartitions returns the empty partitions of iss, none when it is not partitioned.
func (s *Service) newPartitions(iss Issuer) ([]*partition, error) {
	switch {
	case iss.Partitions < 0 || iss.Partitions > domain.MaxCRLPartitions:
		return nil, fmt.Errorf("CRL issuer %s: %d partitions is not between 0 and %d", iss.ID, iss.Partitions, domain.MaxCRLPartitions)
	case iss.Partitions <= 1:
		return nil, nil
	}
	crlURL := iss.CRLURL
	if crlURL == "" {
		if s.cfg.BaseURL == "" {
			return nil, fmt.Errorf("CRL issuer %s: partitions need the CA's CRL URL or a base URL", iss.ID)
		}
		crlURL = strings.TrimRight(s.cfg.BaseURL, "/") + "/crl/" + url.PathEscape(iss.ID) + ".crl"
	}
	parts := make([]*partition, iss.Partitions)
	for k := range parts {
		key, err := newSigningKey(iss)
		if err != nil {
			return nil, err
		}
		parts[k] = &partition{k: k, url: domain.CRLPartitionURL(crlURL, k), builder: &Builder{key: key, all: newEntrySet()}}
		if err := checkURL(parts[k].url); err != nil {
			return nil, fmt.Errorf("CRL issuer %s partition %d: %w", iss.ID, k, err)
		}
	}
	return parts, nil
}

// Partition returns partition k of the CA's CRL. A CA that is unknown or has no partition k is
// ErrUnknownCA.
func (s *Service) Partition(caID string, k int) (*CRL, error) {
	s.mu.RLock()
	a := s.cas[caID]
	s.mu.RUnlock()
	if a == nil || k < 0 || k >= len(a.parts) {
		return nil, fmt.Errorf("CA %q partition %d: %w", caID, k, ErrUnknownCA)
	}
	c := a.parts[k].crl.Load()
	if c == nil {
		return nil, fmt.Errorf("CA %q partition %d: %w", caID, k, ErrNotBuilt)
	}
	return c, nil
}

// addToPartition puts an entry already encoded into its partition, if the CA has partitions
// and the entry is not a CA certificate's.
func (a *authority) addToPartition(e Entry, der []byte) {
	if len(a.parts) == 0 || e.CACertificate {
		return
	}
	p := a.parts[domain.PartitionOf(e.Serial, len(a.parts))]
	p.builder.put(der)
	p.dirty = true
}

// rebuildPartitions builds the partitions that have new entries or have reached half their
// validity: a revocation rebuilds its partition only.
func (s *Service) rebuildPartitions(ctx context.Context, a *authority, now time.Time) error {
	for _, p := range a.parts {
		c := p.crl.Load()
		if !p.dirty && c != nil && now.Before(c.ThisUpdate.Add(s.cfg.Validity/2)) {
			continue
		}
		if err := s.buildPartition(ctx, a, p, now); err != nil {
			return err
		}
	}
	return nil
}

// buildPartition builds and publishes one partition, numbered in its own sequence.
func (s *Service) buildPartition(ctx context.Context, a *authority, p *partition, now time.Time) error {
	num, err := s.numbers.Next(ctx, a.iss.ID, PartitionKind(p.k))
	if err != nil {
		return err
	}
	params := Params{Number: num, ThisUpdate: now.UTC().Truncate(time.Second)}
	params.NextUpdate = params.ThisUpdate.Add(s.cfg.Validity)
	der, err := p.builder.partition(params, p.url)
	if err != nil {
		return fmt.Errorf("CRL partition %d of CA %s: %w", p.k, a.iss.ID, err)
	}
	p.crl.Store(&CRL{DER: der, Number: num, ThisUpdate: params.ThisUpdate, NextUpdate: params.NextUpdate, Entries: p.builder.Len()})
	p.dirty = false
	s.log.Debug("CRL partition published", "ca", a.iss.ID, "partition", p.k, "number", num, "entries", p.builder.Len())
	return nil
}
