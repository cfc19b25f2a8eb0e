package lease

import (
	"context"
	"fmt"
	"time"
)

// Lease is one row of cluster_leases.
type Lease struct {
	Name       string    `json:"name"`
	Holder     string    `json:"holder"`
	Fence      int64     `json:"fence"`
	AcquiredAt time.Time `json:"acquired_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	// Live tells whether the lease had not expired when it was read.
	Live bool `json:"live"`
}

// Node is one row of cluster_nodes, with the leases it holds.
type Node struct {
	Node      string    `json:"node"`
	StartedAt time.Time `json:"started_at"`
	SeenAt    time.Time `json:"seen_at"`
	// Alive tells whether the node was heard of within two TTLs of the read.
	Alive bool `json:"alive"`
	// Leases are the names of the live leases it holds.
	Leases []string `json:"leases"`
}

// Cluster is the cluster as the lease tables tell it.
type Cluster struct {
	Nodes  []Node  `json:"nodes"`
	Leases []Lease `json:"leases"`
}

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

// Status reads the cluster's nodes and leases.
func (m *Manager) Status(ctx context.Context) (Cluster, error) {
	c := Cluster{Nodes: []Node{}, Leases: []Lease{}}
	rows, err := m.pool.Query(ctx, `SELECT name, holder, fence, acquired_at, expires_at, expires_at > clock_timestamp()
		FROM cluster_leases ORDER BY name`)
	if err != nil {
		return c, fmt.Errorf("cluster status: leases: %w", err)
	}
	byHolder := map[string][]string{}
	for rows.Next() {
		var l Lease
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
		var n Node
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
