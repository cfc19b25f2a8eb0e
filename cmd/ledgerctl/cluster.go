package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

var clusterCommands = group{name: "cluster", summary: "the ledgerd nodes and the leases of their singleton jobs", commands: []spec{
	{name: "cluster status", synopsis: "", output: true,
		summary: "Every node (alive when heard of within two lease TTLs) with the leases it holds, then every\n" +
			"lease: its job, holder, fencing token and expiry. ADMIN and SEC_OPS only.",
		example: "ledgerctl cluster status", run: clusterStatus},
}}

func clusterStatus(ctx context.Context, cmd *command) int {
	if !cmd.parse(0) {
		return cmd.exit
	}
	c, err := cmd.api.Cluster(ctx, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error {
		t := newTable(w, "NODE", "ALIVE", "SEEN", "LEASES")
		for _, n := range c.Nodes {
			t.row(n.Node, fmt.Sprint(n.Alive), n.SeenAt.UTC().Format(time.RFC3339), fmt.Sprint(len(n.Leases))+" "+strings.Join(n.Leases, ","))
		}
		if err := t.flush(); err != nil {
			return err
		}
		fmt.Fprintln(w)
		t = newTable(w, "LEASE", "HOLDER", "FENCE", "LIVE", "EXPIRES")
		for _, l := range c.Leases {
			t.row(l.Name, l.Holder, fmt.Sprint(l.Fence), fmt.Sprint(l.Live), l.ExpiresAt.UTC().Format(time.RFC3339))
		}
		return t.flush()
	})
}
