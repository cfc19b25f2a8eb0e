package domain_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/certledger/certledger/domain"
)

func TestErrorKinds(t *testing.T) {
	err := &domain.Error{Kind: domain.KindPolicy, Message: "request refused", Violations: []domain.Violation{
		{Field: "dns_names", Rule: "domain_not_allowed", Message: `"a.evil.net" is not allowed`},
		{Field: "validity_days", Rule: "validity_too_long", Message: "too long"},
	}}
	wrapped := fmt.Errorf("command: %w", err)

	assert.True(t, domain.IsKind(wrapped, domain.KindPolicy))
	assert.False(t, domain.IsKind(wrapped, domain.KindInvalid))
	assert.Equal(t, domain.KindPolicy, domain.KindOf(wrapped))
	assert.Len(t, domain.ViolationsOf(wrapped), 2)
	assert.Equal(t, `request refused: "a.evil.net" is not allowed; too long`, err.Error())

	plain := errors.New("disk on fire")
	assert.Equal(t, domain.ErrorKind(""), domain.KindOf(plain))
	assert.Nil(t, domain.ViolationsOf(plain))
	assert.Equal(t, "conflict", (&domain.Error{Kind: domain.KindConflict, Message: "conflict"}).Error())
}

func TestParseRole(t *testing.T) {
	tests := []struct {
		in   string
		want domain.Role
	}{
		{"VIEWER", domain.RoleViewer},
		{"devops", domain.RoleDevOps},
		{"ROLE_SEC_OPS", domain.RoleSecOps},
		{" admin ", domain.RoleAdmin},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := domain.ParseRole(tc.in)
			assert.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	_, err := domain.ParseRole("root")
	assert.True(t, domain.IsKind(err, domain.KindInvalid))
	assert.True(t, domain.Actor{Roles: []domain.Role{domain.RoleDevOps}}.Has(domain.RoleDevOps))
	assert.False(t, domain.Actor{Roles: []domain.Role{domain.RoleDevOps}}.Has(domain.RoleAdmin))
}
