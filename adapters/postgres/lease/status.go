package lease

import (
	"context"
	"fmt"
	"time"

	"github.com/certledger/certledger/api/wire"
)

// Beat records this node in cluster_nodes every Renew until ctx ends, whether or not it holds
// leases, so that status lists the standbys too.
func (m *Manager) Beat(ctx context.Context) {
	for {
		sctx, cancel := context.WithTimeout(ctx, stmtTimeout)
		_, err := m.pool.Exec(sctx, `INSERT INTO cluster_nodes (node, started_at, seen_at) VALUES ($1, $2, clock_timestamp())
			ON CONFLICT (node) DO UPDATE SET started_at = excluded.started_at, seen_at = excluded.seen_at`, m.cfg.Node, m.started)
		cancel()
		if err != nil && ctx.Err() == nil {
			m.log.Debug("lease: heartbeat failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(m.cfg.Renew):
		}
	}
}

// ClusterStatus reads the cluster's nodes and leases; a node is alive when it was heard of
// within two TTLs.
func (m *Manager) ClusterStatus(ctx context.Context) (wire.Cluster, error) {
	c := wire.Cluster{Nodes: []wire.ClusterNode{}, Leases: []wire.ClusterLease{}}
	rows, err := m.pool.Query(ctx, `SELECT name, holder, fence, acquired_at, expires_at, expires_at > clock_timestamp()
		FROM cluster_leases ORDER BY name`)
	if err != nil {
		return c, fmt.Errorf("cluster status: leases: %w", err)
	}
	byHolder := map[string][]string{}
	for rows.Next() {
		var l wire.ClusterLease
		if err := rows.Scan(&l.Name, &l.Holder, &l.Fence, &l.AcquiredAt, &l.ExpiresAt, &l.Live); err != nil {
			rows.Close()
			return c, fmt.Errorf("cluster status: leases: %w", err)
		}
		c.Leases = append(c.Leases, l)
		if l.Live {
			byHolder[l.Holder] = append(byHolder[l.Holder], l.Name)
		}
	}
	if err := rows.Err(); err != nil {
		return c, fmt.Errorf("cluster status: leases: %w", err)
	}
	rows, err = m.pool.Query(ctx, `SELECT node, started_at, seen_at, seen_at > clock_timestamp() - $1::interval
		FROM cluster_nodes ORDER BY node`, (2 * m.cfg.TTL).String())
	if err != nil {
		return c, fmt.Errorf("cluster status: nodes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n wire.ClusterNode
		if err := rows.Scan(&n.Node, &n.StartedAt, &n.SeenAt, &n.Alive); err != nil {
			return c, fmt.Errorf("cluster status: nodes: %w", err)
		}
		n.Leases = byHolder[n.Node]
		if n.Leases == nil {
			n.Leases = []string{}
		}
		c.Nodes = append(c.Nodes, n)
	}
	return c, rows.Err()
}
