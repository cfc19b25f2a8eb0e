package main

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// signPendingSpec lists the signature requests waiting for approval, for the approvers.
var signPendingSpec = spec{name: "sign pending", synopsis: "[--key KEY-ID]", output: true,
	summary: "List the signature requests waiting for approval that you may read, oldest first: key,\n" +
		"request, artifact, digest, requester and the approvals in so far. Approve one with\n" +
		"ledgerctl sign approve KEY-ID REQUEST-ID. The list is the read model's and may lag a\n" +
		"command by a moment.",
	example: "ledgerctl sign pending --key 9b2e…", run: signPending}

func signPending(ctx context.Context, cmd *command) int {
	key := cmd.fs.String("key", "", "only the requests of this signing key `ID`")
	if !cmd.parse(0) {
		return cmd.exit
	}
	list, err := cmd.api.ListPendingSignatures(ctx, *key, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error {
		t := newTable(w, "KEY", "REQUEST", "REQUESTED AT", "REQUESTED BY", "KIND", "ARTIFACT", "APPROVALS", "DIGEST")
		for _, r := range list.Items {
			t.row(r.KeyID, r.ID, stamp(r.RequestedAt), r.RequestedBy, r.Kind, r.Artifact,
				fmt.Sprintf("%d of %d: %s", len(r.Approvers), r.ApprovalsRequired, strings.Join(r.Approvers, ",")), r.DigestAlgorithm+":"+r.Digest)
		}
		return t.flush()
	})
}
