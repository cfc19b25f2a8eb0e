package rest

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"testing"

	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/domain"
)

// FuzzDecodeBody feeds arbitrary bodies to the request decoder of the command routes: it never
// panics, refuses with a 400 or 413 problem, and what it accepts survives a JSON round trip.
func FuzzDecodeBody(f *testing.F) {
	for _, seed := range []string{
		`{"ca_id":"7f6b3c1e-0000-4000-8000-000000000000","profile":"web","csr":"-----BEGIN CERTIFICATE REQUEST-----","team":"t"}`,
		`{"name":"web","allowed_domains":["example.com"],"key_types":["ecdsa-p256"],"max_validity_days":90}`,
		`{"name":"Root","common_name":"Root","key_algorithm":"ecdsa-p256","parent_id":"00000000-0000-0000-0000-000000000000"}`,
		``, `{}`, `[]`, `null`, `{"a":1}`, `{"validity_days":1e400}`, `{"csr":"\ud800"}`, `{} {}`, `{"team":"x"`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		targets := []func() any{
			func() any { return new(wire.CertificateRequest) },
			func() any { return new(wire.CreateCARequest) },
			func() any { return new(domain.ProfileSpec) },
		}
		for _, newTarget := range targets {
			v := newTarget()
			err := decodeBody(body, v, MaxBodySize)
			if err != nil {
				var p *api.Problem
				if !errors.As(err, &p) || (p.Status != http.StatusBadRequest && p.Status != http.StatusRequestEntityTooLarge) {
					t.Fatalf("decodeBody(%q) = %v, want a 400 or 413 problem", body, err)
				}
				continue
			}
			again, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("an accepted body does not encode again: %v", err)
			}
			w := newTarget()
			if err := decodeBody(again, w, MaxBodySize); err != nil {
				t.Fatalf("re-encoded body %s is refused: %v", again, err)
			}
			if !reflect.DeepEqual(v, w) {
				t.Fatalf("round trip changed %#v into %#v", v, w)
			}
		}
	})
}
