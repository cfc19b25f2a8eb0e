package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/certledger/certledger/domain"
)

// Authenticator turns a bearer token into the actor it stands for.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (domain.Actor, error)
}

// ErrInvalidToken is wrapped by every refusal of a credential. Its message is deliberately
// generic; the wrapping error says why, for the server's log.
var ErrInvalidToken = errors.New("invalid credential")

// invalidf returns ErrInvalidToken wrapped with the reason a credential was refused. The format
// may use %w to keep an underlying error inspectable.
func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidToken}, args...)...)
}

// AuthenticatorFunc makes a function an Authenticator.
type AuthenticatorFunc func(ctx context.Context, token string) (domain.Actor, error)

// Authenticate calls f.
func (f AuthenticatorFunc) Authenticate(ctx context.Context, token string) (domain.Actor, error) {
	return f(ctx, token)
}
