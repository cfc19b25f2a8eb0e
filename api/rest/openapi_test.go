package rest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/api/rest"
	"github.com/certledger/certledger/domain"
)

// openAPIDoc is the embedded OpenAPI document, decoded.
func openAPIDoc(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(rest.OpenAPI(), &doc), "the OpenAPI document is not valid JSON")
	return doc
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// operation is one operation of the document.
type operation struct {
	path   string
	op     map[string]any
	shared []any // the parameters of its path item
}

// openAPIOperations returns the document's operations by "METHOD /path".
func openAPIOperations(t *testing.T, doc map[string]any) map[string]operation {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	require.True(t, ok, "the document has no paths object")
	ops := map[string]operation{}
	for path, v := range paths {
		item := v.(map[string]any)
		shared, _ := item["parameters"].([]any)
		for method, op := range item {
			if slices.Contains(httpMethods, method) {
				ops[strings.ToUpper(method)+" "+path] = operation{path: path, op: op.(map[string]any), shared: shared}
			}
		}
	}
	return ops
}

var (
	echoParam = regexp.MustCompile(`:([A-Za-z_][A-Za-z0-9_]*)`)
	pathParam = regexp.MustCompile(`\{([^}]+)\}`)
)

// openAPIKey is the document's key of a route: its path under the prefix, :id as {id}.
func openAPIKey(r rest.Route) string {
	return r.Method + " " + rest.Prefix + echoParam.ReplaceAllString(r.Path, "{$1}")
}

func TestOpenAPIIsVersion31(t *testing.T) {
	doc := openAPIDoc(t)
	assert.Regexp(t, `^3\.1\.\d+$`, doc["openapi"])
	assert.Equal(t, []any{map[string]any{"bearerAuth": []any{}}, map[string]any{"mutualTLS": []any{}}}, doc["security"])
	for pointer, want := range map[string]any{
		"#/info/title": "certledger",
		"#/components/securitySchemes/bearerAuth/type":   "http",
		"#/components/securitySchemes/bearerAuth/scheme": "bearer",
		"#/components/securitySchemes/mutualTLS/type":    "mutualTLS",
	} {
		got, err := resolvePointer(doc, pointer)
		assert.NoError(t, err)
		assert.Equal(t, want, got, pointer)
	}
}

// TestOpenAPIDocumentsEveryRoute checks the document against the route table both ways: every
// route is an operation with the route's summary and access class, and every operation a route.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	doc := openAPIDoc(t)
	ops := openAPIOperations(t, doc)
	routes := rest.Routes(rest.Deps{})
	documented := map[string]bool{}
	for _, r := range routes {
		key := openAPIKey(r)
		documented[key] = true
		o, ok := ops[key]
		if !assert.Truef(t, ok, "route %s %s is not in openapi.json: document it", r.Method, rest.Prefix+r.Path) {
			continue
		}
		op := o.op
		assert.Equalf(t, r.Summary, op["summary"], "%s: the summary is the route table's", key)
		assert.Equalf(t, string(r.Access), op["x-access"], "%s: x-access is the route's Access", key)
		security, hasSecurity := op["security"]
		if r.Access == rest.Public {
			assert.Equalf(t, []any{}, security, "%s is public: it needs security: []", key)
		} else {
			requirements, _ := security.([]any)
			assert.Falsef(t, hasSecurity && len(requirements) == 0, "%s is not public but has security: []", key)
		}
		if r.Method == http.MethodPost || r.Method == http.MethodPut {
			assert.Containsf(t, parameterNames(t, doc, o, "header"), "Idempotency-Key", "%s is a command: it takes an Idempotency-Key", key)
		}
	}
	for key := range ops {
		assert.Truef(t, documented[key], "openapi.json documents %s, which is not a route of the table", key)
	}
}

// TestOpenAPIIsConsistent checks that every $ref resolves, every path parameter of a path
// template is declared (and nothing else is), operationIds are unique, and errors are problems.
func TestOpenAPIIsConsistent(t *testing.T) {
	doc := openAPIDoc(t)
	walkRefs(doc, func(ref string) {
		_, err := resolvePointer(doc, ref)
		assert.NoError(t, err)
	})
	ids := map[string]string{}
	for key, o := range openAPIOperations(t, doc) {
		id, _ := o.op["operationId"].(string)
		assert.NotEmptyf(t, id, "%s has no operationId", key)
		if other, dup := ids[id]; dup {
			t.Errorf("operationId %q is used by %s and %s", id, other, key)
		}
		ids[id] = key
		var inTemplate []string
		for _, m := range pathParam.FindAllStringSubmatch(o.path, -1) {
			inTemplate = append(inTemplate, m[1])
		}
		declared := parameterNames(t, doc, o, "path")
		slices.Sort(inTemplate)
		slices.Sort(declared)
		assert.Equalf(t, inTemplate, declared, "%s: the path parameters declared are those of the template", key)
		responses, _ := o.op["responses"].(map[string]any)
		require.NotEmptyf(t, responses, "%s has no responses", key)
		for code, resp := range responses {
			if strings.HasPrefix(code, "4") {
				content, _ := resolve(t, doc, resp)["content"].(map[string]any)
				assert.Containsf(t, content, "application/problem+json", "%s: response %s is a problem", key, code)
			}
		}
	}
}

// parameterNames lists the names of an operation's parameters in the given place, $refs
// resolved, those of its path item included.
func parameterNames(t *testing.T, doc map[string]any, o operation, in string) []string {
	t.Helper()
	params, _ := o.op["parameters"].([]any)
	var names []string
	for _, p := range append(slices.Clone(params), o.shared...) {
		param := resolve(t, doc, p)
		if param["in"] == in {
			name, _ := param["name"].(string)
			names = append(names, name)
			if in == "path" {
				assert.Equalf(t, true, param["required"], "%s: path parameter %v must be required", o.path, param["name"])
			}
		}
	}
	return names
}

// resolve follows v's $refs, if it has any, to the object they name.
func resolve(t *testing.T, doc map[string]any, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	require.Truef(t, ok, "%v is not an object", v)
	ref, ok := m["$ref"].(string)
	if !ok {
		return m
	}
	target, err := resolvePointer(doc, ref)
	require.NoError(t, err)
	return resolve(t, doc, target)
}

// resolvePointer finds what a local $ref ("#/components/...") names.
func resolvePointer(doc map[string]any, ref string) (any, error) {
	pointer, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("$ref %q is not local to the document", ref)
	}
	var v any = doc
	for _, token := range strings.Split(pointer, "/") {
		token = strings.NewReplacer("~1", "/", "~0", "~").Replace(token)
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("$ref %q: %q is not in an object", ref, token)
		}
		if v, ok = m[token]; !ok {
			return nil, fmt.Errorf("$ref %q: nothing is named %q", ref, token)
		}
	}
	return v, nil
}

// walkRefs calls f with every $ref in v.
func walkRefs(v any, f func(ref string)) {
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["$ref"].(string); ok {
			f(ref)
		}
		for _, child := range v {
			walkRefs(child, f)
		}
	case []any:
		for _, child := range v {
			walkRefs(child, f)
		}
	}
}

func TestOpenAPIIsServedToAuthenticatedCallers(t *testing.T) {
	e, err := api.NewServer(api.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	tokens := rest.NewStaticTokens()
	tokens.Add("viewer-token", domain.Actor{Subject: "viewer", Roles: []domain.Role{domain.RoleViewer}})
	rest.Register(e, rest.Deps{Auth: tokens})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)

	anonymous, err := http.Get(srv.URL + "/api/v1/openapi.json")
	require.NoError(t, err)
	_ = anonymous.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, anonymous.StatusCode)
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/openapi.json", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer viewer-token")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Equal(t, rest.OpenAPI(), body)
}
