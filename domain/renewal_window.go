package domain

import "time"

// RenewalWindow is when the ledger wants a certificate valid from notBefore to notAfter
// renewed: from two thirds of its lifetime to five sixths, so that a renewal in the window
// leaves at least a sixth of the lifetime to deploy the new certificate. ACME renewalInfo
// (RFC 9773) suggests it.
func RenewalWindow(notBefore, notAfter time.Time) (start, end time.Time) {
	life := notAfter.Sub(notBefore)
	return notBefore.Add(life * 2 / 3).UTC(), notBefore.Add(life * 5 / 6).UTC()
}
