package ops

import (
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
)

// MaxRequestIDLength is the longest inbound X-Request-ID that is kept.
const MaxRequestIDLength = 128

// requestIDKey is where RequestID stores the id in the echo context.
const requestIDKey = "certledger.request_id"

// RequestID returns middleware that gives every request a request id: a well-formed inbound
// X-Request-ID (see ValidRequestID) is kept, anything else is replaced by a new UUID v4. The id is
// set on the request header and on the response header, and RequestIDOf returns it.
func RequestID() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			id := c.Request().Header.Get(echo.HeaderXRequestID)
			if !ValidRequestID(id) {
				id = uuid.NewString()
			}
			c.Request().Header.Set(echo.HeaderXRequestID, id)
			c.Response().Header().Set(echo.HeaderXRequestID, id)
			c.Set(requestIDKey, id)
			return next(c)
		}
	}
}

// RequestIDOf returns the request id that RequestID chose for c, or "" when the RequestID
// middleware did not run for this request. It never returns an unchecked inbound header.
func RequestIDOf(c echo.Context) string {
	id, _ := c.Get(requestIDKey).(string)
	return id
}

// ValidRequestID reports whether id may be used as a request id as received: 1 to
// MaxRequestIDLength characters, each a letter, a digit or one of "._:-". Anything else could
// smuggle control characters or unbounded text into logs and events.
func ValidRequestID(id string) bool {
	if len(id) == 0 || len(id) > MaxRequestIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !isRequestIDByte(id[i]) {
			return false
		}
	}
	return true
}

func isRequestIDByte(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	case b == '.', b == '_', b == ':', b == '-':
		return true
	}
	return false
}
