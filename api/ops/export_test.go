package ops

// PrincipalCount returns how many principals rl remembers, for tests of eviction.
func (rl *RateLimiter) PrincipalCount() int {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	return rl.principals.len()
}

// Remembers reports whether rl remembers the principal called name.
func (rl *RateLimiter) Remembers(name string) bool {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	return rl.principals.has(name)
}
