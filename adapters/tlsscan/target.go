package tlsscan

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// Target is one endpoint to scan, asked for one server name.
type Target struct {
	// Address is host:port to dial.
	Address string
	// ServerName is the SNI name sent, or "" to send none (an IP address target).
	ServerName string
}

func (t Target) String() string {
	if t.ServerName == "" || strings.HasPrefix(t.Address, t.ServerName+":") {
		return t.Address
	}
	return t.ServerName + "@" + t.Address
}

// DefaultLimit caps the targets one scan expands to: a /8 with ten ports is a mistake, not a
// scan.
const DefaultLimit = 1 << 20

// ParseTargets expands target specs into targets. A spec is "host:port", "[v6]:port", a host
// or an IP address (scanned on every port of ports), or a CIDR range (every address in it on
// every port of ports; network and broadcast addresses included, as servers sometimes sit
// there). A host name is its own SNI name; names in sni are asked for at every target as well,
// one target each. limit caps the number of targets (0: DefaultLimit).
func ParseTargets(specs []string, ports []int, sni []string, limit int) ([]Target, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	for _, p := range ports {
		if p < 1 || p > 65535 {
			return nil, fmt.Errorf("port %d is out of range 1-65535", p)
		}
	}
	var out []Target
	add := func(host, port string) error {
		addr := net.JoinHostPort(host, port)
		names := sni
		if _, err := netip.ParseAddr(host); err != nil {
			names = append([]string{host}, sni...)
		}
		if len(names) == 0 {
			names = []string{""}
		}
		for _, name := range names {
			if len(out) >= limit {
				return fmt.Errorf("the targets expand to more than %d endpoints; scan smaller ranges", limit)
			}
			out = append(out, Target{Address: addr, ServerName: name})
		}
		return nil
	}
	for _, spec := range specs {
		if err := expandSpec(strings.TrimSpace(spec), ports, add); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// expandSpec calls add for every host and port one spec stands for.
func expandSpec(spec string, ports []int, add func(host, port string) error) error {
	if spec == "" {
		return fmt.Errorf("empty target")
	}
	if host, port, err := net.SplitHostPort(spec); err == nil {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("target %q: port %q is not a number in 1-65535", spec, port)
		}
		if host == "" {
			return fmt.Errorf("target %q has no host", spec)
		}
		return add(host, port)
	}
	if len(ports) == 0 {
		return fmt.Errorf("target %q has no port, and no ports were given", spec)
	}
	hosts := []string{spec}
	if strings.Contains(spec, "/") {
		prefix, err := netip.ParsePrefix(spec)
		if err != nil {
			return fmt.Errorf("target %q is not a CIDR range: %w", spec, err)
		}
		if hosts, err = addresses(prefix.Masked()); err != nil {
			return fmt.Errorf("target %q: %w", spec, err)
		}
	}
	for _, h := range hosts {
		for _, p := range ports {
			if err := add(h, strconv.Itoa(p)); err != nil {
				return err
			}
		}
	}
	return nil
}

// addresses lists the addresses of a range; ranges of more than 2^20 addresses are refused.
func addresses(prefix netip.Prefix) ([]string, error) {
	if prefix.Addr().BitLen()-prefix.Bits() > 20 {
		return nil, fmt.Errorf("range holds more than %d addresses", 1<<20)
	}
	var out []string
	for a := prefix.Addr(); a.IsValid() && prefix.Contains(a); a = a.Next() {
		out = append(out, a.String())
	}
	return out, nil
}
