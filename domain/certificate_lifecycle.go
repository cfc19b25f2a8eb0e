package domain

// transition says from which states an event may move a certificate, and to which state.
type transition struct {
	from []CertStatus
	to   CertStatus
}

// lifecycle is the certificate state machine, keyed by event type: one row for each certificate
// event (certificateEvents). Decisions, Apply and the read models all follow it, so a history
// can only hold legal transitions and every reader agrees on the status after it.
var lifecycle = map[string]transition{
	TypeCertificateRequested: {[]CertStatus{""}, StatusPendingApproval},
	TypeCertificateApproved:  {[]CertStatus{StatusPendingApproval}, StatusApproved},
	TypeCertificateRejected:  {[]CertStatus{StatusPendingApproval}, StatusRejected},
	TypeCertificateIssued:    {[]CertStatus{StatusApproved}, StatusIssued},
	TypeCertificateRenewed:   {[]CertStatus{StatusIssued}, StatusSuperseded},
	TypeCertificateRevoked:   {[]CertStatus{StatusIssued, StatusSuperseded}, StatusRevoked},
	TypeCertificateExpired:   {[]CertStatus{StatusIssued, StatusSuperseded}, StatusExpired},
	// A warning changes no status.
	TypeCertificateExpiryWarned: {[]CertStatus{StatusIssued}, StatusIssued},
	// Renewal records change no status either; a renewed certificate is superseded by
	// CertificateRenewed.
	TypeRenewalDue:    {[]CertStatus{StatusIssued}, StatusIssued},
	TypeRenewalFailed: {[]CertStatus{StatusIssued}, StatusIssued},
}

// StatusAfter returns the status a certificate has after e, from the lifecycle; ok is false
// for an event that sets no certificate status (a signing event, another aggregate's event).
// A CertificateRequested leaves the request pending even when the profile approves it
// automatically: the CertificateApproved that follows it approves it.
func StatusAfter(e Event) (status CertStatus, ok bool) {
	t, ok := lifecycle[e.EventType()]
	return t.to, ok
}
