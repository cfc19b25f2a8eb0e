package acme_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/go-acme/lego/v5/certcrypto"
	"github.com/go-acme/lego/v5/certificate"
	"github.com/go-acme/lego/v5/challenge"
	"github.com/go-acme/lego/v5/challenge/dns01"
	"github.com/go-acme/lego/v5/challenge/tlsalpn01"
	"github.com/go-acme/lego/v5/lego"
	"github.com/go-acme/lego/v5/registration"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// TestLegoBoundWithEABObtainsOverEachChallenge registers lego accounts with an EAB key minted
// for team "payments" at the provisioner that requires one, and obtains a certificate over
// http-01, dns-01 (the record in the test's DNS server, which the ledger is pointed at) and
// tls-alpn-01 (lego's own TLS server); each verifies with openssl and is the team's in the
// inventory, and each challenge's result is an event on the order's stream.
func TestLegoBoundWithEABObtainsOverEachChallenge(t *testing.T) {
	s := startStack(t)
	ctx := context.Background()
	t.Setenv("LEGO_DISABLE_CNAME_SUPPORT", "true") // lego would ask the Internet's DNS for CNAMEs
	cases := []struct {
		name    string
		solve   func(*lego.Client) error
		chosen  string
		domains []string
	}{
		{"http-01", func(*lego.Client) error { return nil }, "http-01", []string{"h.example.com"}},
		{"dns-01", func(c *lego.Client) error {
			c.Challenge.Remove(challenge.HTTP01)
			return c.Challenge.SetDNS01Provider(s.dns, dns01.PropagationWait(0, true))
		}, "dns-01", []string{"d.example.com", "d2.example.com"}},
		{"tls-alpn-01", func(c *lego.Client) error {
			c.Challenge.Remove(challenge.HTTP01)
			return c.Challenge.SetTLSALPN01Provider(tlsalpn01.NewProviderServer("127.0.0.1", strconv.Itoa(s.alpnPort)))
		}, "tls-alpn-01", []string{"t.example.com"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			client, user := newLego(t, s, "teams")
			require.NoError(t, tc.solve(client))
			key := s.mintEAB(t, "payments")
			var err error
			user.reg, err = client.Registration.RegisterWithExternalAccountBinding(ctx, registration.RegisterEABOptions{
				TermsOfServiceAgreed: true, Kid: key.KeyID, HmacEncoded: key.HMACKey})
			require.NoError(t, err)
			res, err := client.Certificate.Obtain(ctx, certificate.ObtainRequest{Domains: tc.domains, Bundle: true, KeyType: certcrypto.RSA2048})
			require.NoError(t, err)
			leaf := verified(t, res, tc.domains...)
			item := inventoryItem(t, s, leaf.SerialNumber.Text(16))
			accountID := user.reg.Location[strings.LastIndex(user.reg.Location, "/")+1:]
			assert.Equal(t, "acme:teams:"+accountID, item.Owner)
			assert.Equal(t, "payments", item.Team, "the account acts for its EAB key's team")

			o := orderOf(t, s, res.CertURL)
			for i := range o.Created().Authorizations {
				assert.Equal(t, domain.ACMEValid, o.AuthorizationStatus(i))
			}
			types := challengeEvents(t, s, o.ID())
			assert.Equal(t, len(tc.domains), len(types))
			for _, ty := range types {
				assert.Equal(t, tc.chosen, ty, "the validated challenge is recorded with its type")
			}
		})
	}
}

// orderOf folds the order a certificate URL (…/cert/<order id>) names from its stream.
func orderOf(t *testing.T, s *stack, certURL string) *domain.ACMEOrder {
	t.Helper()
	id, err := uuid.Parse(certURL[strings.LastIndex(certURL, "/")+1:])
	require.NoError(t, err)
	o, err := s.App.Queries.ACMEOrder(context.Background(), id)
	require.NoError(t, err)
	return o
}

// challengeEvents are the challenge types of the ACMEChallengeValidated events of an order.
func challengeEvents(t *testing.T, s *stack, orderID string) []string {
	t.Helper()
	history, _, err := s.Store.Load(context.Background(), "acmeorder-"+orderID)
	require.NoError(t, err)
	var types []string
	for _, e := range history {
		if e.Type == domain.TypeACMEChallengeValidated {
			var v domain.ACMEChallengeValidated
			require.NoError(t, json.Unmarshal(e.Data, &v))
			types = append(types, v.Challenge)
		}
	}
	return types
}
