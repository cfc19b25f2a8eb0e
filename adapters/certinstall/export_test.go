package certinstall

// SetAfterReplace lets a test stop an Install midway, as a crash would.
func SetAfterReplace(f func(i int)) { afterReplace = f }
