package wire

import "time"

// Cluster is the cluster as its lease tables tell it (GET /cluster): the nodes and the leases
// of the singleton jobs.
type Cluster struct {
	Nodes  []ClusterNode  `json:"nodes"`  // never null
	Leases []ClusterLease `json:"leases"` // never null
}

// ClusterNode is one ledgerd node and the live leases it holds.
type ClusterNode struct {
	Node      string    `json:"node"`
	StartedAt time.Time `json:"started_at"`
	SeenAt    time.Time `json:"seen_at"`
	// Alive tells whether the node was heard of within two lease TTLs.
	Alive  bool     `json:"alive"`
	Leases []string `json:"leases"` // never null
}

// ClusterLease is the lease of one singleton job ("projection/pki", "siem/<sink>", …).
type ClusterLease struct {
	Name       string    `json:"name"`
	Holder     string    `json:"holder"`
	Fence      int64     `json:"fence"` // the fencing token: grows by one at every acquisition
	AcquiredAt time.Time `json:"acquired_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	// Live tells whether the lease had not expired when it was read.
	Live bool `json:"live"`
}
