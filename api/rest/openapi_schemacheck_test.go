package rest_test

import (
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// schemaChecker compares Go types with the JSON Schemas of the OpenAPI document.
type schemaChecker struct {
	t       *testing.T
	doc     map[string]any
	refOf   map[reflect.Type]string // the $ref of each wire type's schema
	request bool                    // the body checked is one the server only decodes
}

// jsonField is a field of a struct as encoding/json writes it.
type jsonField struct {
	name     string
	typ      reflect.Type
	optional bool // omitempty or omitzero: the field may be absent
}

// jsonFields lists the JSON fields of a struct type, those of embedded structs included.
func jsonFields(typ reflect.Type) []jsonField {
	var out []jsonField
	for _, f := range reflect.VisibleFields(typ) {
		tag, hasTag := f.Tag.Lookup("json")
		name, opts, _ := strings.Cut(tag, ",")
		switch {
		case !f.IsExported() || name == "-":
			continue
		case f.Anonymous && !hasTag && f.Type.Kind() == reflect.Struct:
			continue // its fields are listed as visible fields
		case name == "":
			name = f.Name
		}
		optional := slices.Contains(strings.Split(opts, ","), "omitempty") || slices.Contains(strings.Split(opts, ","), "omitzero")
		out = append(out, jsonField{name: name, typ: f.Type, optional: optional})
	}
	return out
}

// object checks a struct type against an object schema: its properties are the JSON fields,
// and the required ones those without omitempty.
func (c schemaChecker) object(where string, typ reflect.Type, schema map[string]any) {
	props, _ := schema["properties"].(map[string]any)
	var required []string
	for _, r := range asList(schema["required"]) {
		required = append(required, r.(string))
	}
	fields := map[string]bool{}
	for _, f := range jsonFields(typ) {
		fields[f.name] = true
		at := where + "." + f.name
		prop, ok := props[f.name].(map[string]any)
		if !assert.Truef(c.t, ok, "%s: field %s of %s is not a property in openapi.json: add it", at, f.name, typ) {
			continue
		}
		isRequired := slices.Contains(required, f.name)
		switch {
		case f.optional && isRequired:
			c.t.Errorf("%s is required in openapi.json but its field has omitempty: drop one of them", at)
		case !f.optional && !isRequired && !c.request:
			c.t.Errorf("%s is always in the answer (no omitempty): list it in the schema's required properties", at)
		}
		c.value(at, f.typ, prop, f.optional)
	}
	for name := range props {
		assert.Truef(c.t, fields[name], "%s.%s is in openapi.json but is no JSON field of %s: add it there or remove it here", where, name, typ)
	}
	for _, name := range required {
		assert.Truef(c.t, fields[name], "%s: required property %s is no JSON field of %s", where, name, typ)
	}
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
	textType      = reflect.TypeFor[encoding.TextMarshaler]()
)

// value checks a Go type against the schema of one value: a struct must $ref its own schema;
// anything else must have the JSON type of the schema (or of the schema it $refs). Null may be
// allowed only for a pointer, slice or map, and must be for a pointer without omitempty; a
// slice or map without omitempty is left to the schema, since the server sets many of them
// always (lists are never null).
func (c schemaChecker) value(where string, typ reflect.Type, prop map[string]any, optional bool) {
	pointer := false
	for typ.Kind() == reflect.Pointer {
		typ, pointer = typ.Elem(), true
	}
	kind := jsonType(typ)
	nullable := pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map
	ref, isRef := prop["$ref"].(string)
	if kind == "object" && typ.Kind() == reflect.Struct {
		assert.Equalf(c.t, c.refOf[typ], ref, "%s: a %s is documented as the $ref of its own schema", where, typ)
		return
	}
	target := prop
	if isRef {
		resolved, err := resolvePointer(c.doc, ref)
		if !assert.NoErrorf(c.t, err, "%s", where) {
			return
		}
		target = resolved.(map[string]any)
	}
	types := asList(target["type"])
	if kind == "" || len(types) == 0 {
		return // any JSON value (json.RawMessage), or a schema that leaves the type open
	}
	allowsNull := slices.Contains(types, any("null"))
	assert.Subsetf(c.t, []any{kind, "null"}, types, "%s: the JSON type of a %s is %s", where, typ, kind)
	if allowsNull {
		assert.Truef(c.t, nullable, "%s: openapi.json allows null, but a %s is never null", where, typ)
	} else if pointer && !optional {
		c.t.Errorf("%s: a %s without omitempty may be null: openapi.json must allow it (\"type\": [%q, \"null\"])", where, typ, kind)
	}
	if kind == "array" && typ.Kind() != reflect.Array {
		if items, ok := target["items"].(map[string]any); ok {
			c.value(where+"[]", typ.Elem(), items, true)
		}
	}
}

// jsonType is the JSON type encoding/json writes a value of typ as, "" for any.
func jsonType(typ reflect.Type) string {
	switch {
	case typ == timeType || typ.Implements(textType):
		return "string"
	case typ.Implements(marshalerType):
		return ""
	}
	switch typ.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice:
		if typ.Elem().Kind() == reflect.Uint8 {
			return "string" // base64
		}
		return "array"
	case reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return ""
}

// asList is a JSON Schema keyword that is one value or a list, as a list.
func asList(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	}
	return []any{v}
}
