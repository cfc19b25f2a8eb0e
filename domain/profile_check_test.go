package domain_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"net"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

func TestProfileCheck(t *testing.T) {
	base := domain.ProfileSpec{
		Name: "internal", AllowedDomains: []string{"example.com", "svc.corp"},
		AllowIPs: true, AllowedIPNets: []string{"10.0.0.0/8", "fd00::/8"},
		AllowEmails: true, AllowURIs: true, AllowedURISchemes: []string{"spiffe"},
		KeyTypes: []domain.KeyType{domain.KeyECDSAP256}, MaxValidityDays: 90,
		KeyUsages: []string{"digitalSignature"}, ExtKeyUsages: []string{"serverAuth", "clientAuth"},
		RequireCNInSANs: true,
	}
	uri := func(s string) *url.URL { u, err := url.Parse(s); require.NoError(t, err); return u }
	tests := []struct {
		name string
		spec func(*domain.ProfileSpec)
		req  x509.CertificateRequest
		days int
		want []string
	}{
		{name: "exact domain", req: x509.CertificateRequest{DNSNames: []string{"example.com"}}},
		{name: "deep subdomain", req: x509.CertificateRequest{DNSNames: []string{"a.b.c.example.com"}}},
		{name: "second domain, upper case", req: x509.CertificateRequest{DNSNames: []string{"API.SVC.CORP"}}},
		{name: "look-alike domain", req: x509.CertificateRequest{DNSNames: []string{"badexample.com"}}, want: []string{"dns_names/domain_not_allowed"}},
		{name: "allowed domain as a prefix", req: x509.CertificateRequest{DNSNames: []string{"example.com.evil.net"}}, want: []string{"dns_names/domain_not_allowed"}},
		{name: "parent of an allowed domain", req: x509.CertificateRequest{DNSNames: []string{"com"}}, want: []string{"dns_names/domain_not_allowed"}},
		{name: "bad syntax", req: x509.CertificateRequest{DNSNames: []string{"-a.example.com"}}, want: []string{"dns_names/dns_syntax"}},
		{name: "wildcard not allowed", req: x509.CertificateRequest{DNSNames: []string{"*.example.com"}}, want: []string{"dns_names/wildcard_not_allowed"}},
		{name: "wildcard allowed", spec: wildcards, req: x509.CertificateRequest{DNSNames: []string{"*.api.example.com"}}},
		{name: "wildcard on an unallowed base", spec: wildcards, req: x509.CertificateRequest{DNSNames: []string{"*.com"}}, want: []string{"dns_names/domain_not_allowed"}},
		{name: "wildcard in an inner label", spec: wildcards, req: x509.CertificateRequest{DNSNames: []string{"a.*.example.com"}}, want: []string{"dns_names/dns_syntax"}},
		{name: "partial wildcard label", spec: wildcards, req: x509.CertificateRequest{DNSNames: []string{"w*.example.com"}}, want: []string{"dns_names/dns_syntax"}},
		{name: "IP in an allowed net", req: x509.CertificateRequest{IPAddresses: []net.IP{net.ParseIP("10.9.8.7"), net.ParseIP("fd00::1")}}},
		{name: "IP outside the nets", req: x509.CertificateRequest{IPAddresses: []net.IP{net.ParseIP("192.168.1.1")}}, want: []string{"ip_addresses/ip_not_in_allowed_nets"}},
		{name: "IPs not allowed", spec: func(s *domain.ProfileSpec) { s.AllowIPs, s.AllowedIPNets = false, nil },
			req: x509.CertificateRequest{IPAddresses: []net.IP{net.ParseIP("10.0.0.1")}}, want: []string{"ip_addresses/ip_not_allowed"}},
		{name: "email in an allowed domain", req: x509.CertificateRequest{EmailAddresses: []string{"ops@mail.example.com"}}},
		{name: "email elsewhere", req: x509.CertificateRequest{EmailAddresses: []string{"ops@example.org"}}, want: []string{"email_addresses/domain_not_allowed"}},
		{name: "emails not allowed", spec: func(s *domain.ProfileSpec) { s.AllowEmails = false },
			req: x509.CertificateRequest{EmailAddresses: []string{"ops@example.com"}}, want: []string{"email_addresses/email_not_allowed"}},
		{name: "SPIFFE URI", req: x509.CertificateRequest{URIs: []*url.URL{uri("spiffe://example.com/ns/payments")}}},
		{name: "URI scheme and host", req: x509.CertificateRequest{URIs: []*url.URL{uri("https://evil.net/x")}},
			want: []string{"uris/uri_scheme_not_allowed", "uris/domain_not_allowed"}},
		{name: "URIs not allowed", spec: func(s *domain.ProfileSpec) { s.AllowURIs, s.AllowedURISchemes = false, nil },
			req: x509.CertificateRequest{URIs: []*url.URL{uri("spiffe://example.com/x")}}, want: []string{"uris/uri_not_allowed"}},
		{name: "CN among the SANs, other case", req: x509.CertificateRequest{Subject: pkix.Name{CommonName: "WWW.example.com"}, DNSNames: []string{"www.example.com"}}},
		{name: "CN is an IP SAN", req: x509.CertificateRequest{Subject: pkix.Name{CommonName: "10.0.0.1"}, IPAddresses: []net.IP{net.ParseIP("10.0.0.1")}}},
		{name: "CN not among the SANs", req: x509.CertificateRequest{Subject: pkix.Name{CommonName: "db.example.com"}, DNSNames: []string{"www.example.com"}},
			want: []string{"common_name/cn_not_in_sans"}},
		{name: "CN rule off", spec: func(s *domain.ProfileSpec) { s.RequireCNInSANs = false },
			req: x509.CertificateRequest{Subject: pkix.Name{CommonName: "db.example.com"}, DNSNames: []string{"www.example.com"}}},
		{name: "no SANs", req: x509.CertificateRequest{Subject: pkix.Name{CommonName: "example.com"}},
			want: []string{"subject_alt_names/sans_required", "common_name/cn_not_in_sans"}},
		{name: "validity too long", req: x509.CertificateRequest{DNSNames: []string{"example.com"}}, days: 91, want: []string{"validity_days/validity_too_long"}},
		{name: "validity not positive", req: x509.CertificateRequest{DNSNames: []string{"example.com"}}, days: -1, want: []string{"validity_days/validity_not_positive"}},
		{name: "everything at once", req: x509.CertificateRequest{
			Subject: pkix.Name{CommonName: "x.example.com"}, DNSNames: []string{"*.example.com", "evil.net"},
			IPAddresses: []net.IP{net.ParseIP("8.8.8.8")}, EmailAddresses: []string{"a@evil.net"},
		}, days: 400, want: []string{
			"validity_days/validity_too_long", "dns_names/wildcard_not_allowed", "dns_names/domain_not_allowed",
			"ip_addresses/ip_not_in_allowed_nets", "email_addresses/domain_not_allowed", "common_name/cn_not_in_sans",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec := base
			if tc.spec != nil {
				tc.spec(&spec)
			}
			p, err := domain.NewProfile(spec)
			require.NoError(t, err)
			csr, err := domain.ParseCSR(csrPEM(t, newKey(t), tc.req))
			require.NoError(t, err)
			days := tc.days
			if days == 0 {
				days = 30
			}
			assert.ElementsMatch(t, tc.want, kinds(p.Check(csr, days)))
		})
	}
}

func wildcards(s *domain.ProfileSpec) { s.AllowWildcards = true }

func TestProfileCheckKeyTypes(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	tests := []struct {
		name   string
		types  []domain.KeyType
		usages []string
		key    crypto.Signer
		want   []string
	}{
		{"allowed", []domain.KeyType{domain.KeyECDSAP256}, []string{"digitalSignature"}, newKey(t), nil},
		{"not allowed", []domain.KeyType{domain.KeyRSA2048}, []string{"digitalSignature"}, newKey(t), []string{"key_type/key_type_not_allowed"}},
		{"RSA not allowed", []domain.KeyType{domain.KeyECDSAP384}, []string{"digitalSignature"}, rsaKey, []string{"key_type/key_type_not_allowed"}},
		{"usages unsuitable for EC", []domain.KeyType{domain.KeyECDSAP256}, []string{"keyEncipherment"}, newKey(t), []string{"key_type/key_usage_unsuitable"}},
		{"keyEncipherment suits RSA", []domain.KeyType{domain.KeyRSA2048}, []string{"keyEncipherment"}, rsaKey, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec := webSpec("", false)
			spec.KeyTypes, spec.KeyUsages = tc.types, tc.usages
			p, err := domain.NewProfile(spec)
			require.NoError(t, err)
			csr, err := domain.ParseCSR(csrPEM(t, tc.key, x509.CertificateRequest{DNSNames: []string{"a.example.com"}}))
			require.NoError(t, err)
			assert.ElementsMatch(t, tc.want, kinds(p.Check(csr, 30)))
		})
	}
}
