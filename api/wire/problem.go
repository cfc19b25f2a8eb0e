package wire

import "fmt"

// Problem is an RFC 7807 problem details document, the body of every error answer.
type Problem struct {
	// Type is a URI naming the kind of problem; "about:blank" when only the status matters.
	Type string `json:"type"`
	// Title is a short human-readable summary of the kind of problem.
	Title string `json:"title"`
	// Status is the HTTP status code of the response.
	Status int `json:"status"`
	// Detail explains this occurrence of the problem to the client.
	Detail string `json:"detail"`
	// Violations lists each problem when there are several, such as every rule of a
	// certificate profile that a request breaks.
	Violations []Violation `json:"violations,omitempty"`
}

// Violation is one of several problems with a request.
type Violation struct {
	Field   string `json:"field"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// Error returns the problem as "status title: detail", so a Problem can travel as an error.
func (p *Problem) Error() string {
	return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail)
}
