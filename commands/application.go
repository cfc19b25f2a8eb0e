package commands

import "github.com/certledger/certledger/domain/tsp"

// Application is every command handler and the queries of one ledger, on one event store, HSM
// and set of URLs, sharing one Core. It is wiring, not a service: cmd/ledgerd builds it once
// and hands each handler to what runs that command.
type Application struct {
	CreateCA           *CreateCAHandler
	RevokeCA           *RevokeCAHandler
	CertifyResponder   *CertifyResponderHandler
	DefineProfile      *DefineProfileHandler
	RequestCertificate *RequestCertificateHandler
	Approve            *ApproveHandler
	Reject             *RejectHandler
	Issue              *IssueHandler
	Revoke             *RevokeHandler
	RenewCertificate   *RenewCertificateHandler
	ExpireCertificate  *ExpireCertificateHandler
	WarnExpiry         *WarnExpiryHandler
	DueRenewal         *DueRenewalHandler
	AutoRenew          *AutoRenewHandler
	AdoptCertificate   *AdoptCertificateHandler
	VoidStaleSignings  *VoidStaleSigningsHandler
	IssueAPIToken      *IssueAPITokenHandler
	RevokeAPIToken     *RevokeAPITokenHandler
	SignCheckpoint     *SignCheckpointHandler
	Discover           *DiscoverCertificatesHandler
	CreateSigningKey   *CreateSigningKeyHandler
	DisableSigningKey  *DisableSigningKeyHandler
	EnableSigningKey   *EnableSigningKeyHandler
	RevokeSigningKey   *RevokeSigningKeyHandler
	RotateSigningKey   *RotateSigningKeyHandler
	SignDigest         *SignDigestHandler
	ApproveSignature   *ApproveSignatureHandler
	RefuseSignature    *RefuseSignatureHandler
	IssueTimestamp     *IssueTimestampHandler
	ACME               ACMEHandlers
	CertifySCEPRA      *CertifySCEPRAHandler
	IssueSCEPChallenge *IssueSCEPChallengeHandler
	EnrollSCEP         *EnrollSCEPHandler
	IssueJoinToken     *IssueJoinTokenHandler
	EnrollAgent        *EnrollAgentHandler
	AgentHeartbeat     *AgentHeartbeatHandler
	RevokeAgent        *RevokeAgentHandler
	DeployCertificate  *DeployCertificateHandler
	IssueDeployment    *IssueDeploymentHandler
	ReportDeployment   *ReportDeploymentHandler
	Queries            *Queries

	core *Core
}

// NewApplication wires every handler on store; keys is the HSM (nil serves the commands that
// sign nothing), and urls are what issued certificates point to.
func NewApplication(store EventStore, keys KeyStore, urls URLs) (*Application, error) {
	core, err := NewCore(store)
	if err != nil {
		return nil, err
	}
	app := &Application{
		CreateCA:           NewCreateCAHandler(core, keys, urls),
		RevokeCA:           NewRevokeCAHandler(core),
		CertifyResponder:   NewCertifyResponderHandler(core, keys),
		DefineProfile:      NewDefineProfileHandler(core),
		RequestCertificate: NewRequestCertificateHandler(core, keys),
		Approve:            NewApproveHandler(core, keys),
		Reject:             NewRejectHandler(core),
		Issue:              NewIssueHandler(core, keys),
		Revoke:             NewRevokeHandler(core),
		RenewCertificate:   NewRenewCertificateHandler(core, keys),
		ExpireCertificate:  NewExpireCertificateHandler(core),
		WarnExpiry:         NewWarnExpiryHandler(core),
		VoidStaleSignings:  NewVoidStaleSigningsHandler(core),
		IssueAPIToken:      NewIssueAPITokenHandler(core),
		RevokeAPIToken:     NewRevokeAPITokenHandler(core),
		SignCheckpoint:     NewSignCheckpointHandler(core, keys),
		Discover:           NewDiscoverCertificatesHandler(core),
		CreateSigningKey:   NewCreateSigningKeyHandler(core, keys),
		DisableSigningKey:  NewDisableSigningKeyHandler(core),
		EnableSigningKey:   NewEnableSigningKeyHandler(core),
		RevokeSigningKey:   NewRevokeSigningKeyHandler(core),
		SignDigest:         NewSignDigestHandler(core, keys),
		ApproveSignature:   NewApproveSignatureHandler(core, keys),
		RefuseSignature:    NewRefuseSignatureHandler(core),
		IssueTimestamp:     NewIssueTimestampHandler(core, keys, tsp.DefaultPolicy),
		CertifySCEPRA:      NewCertifySCEPRAHandler(core, keys),
		IssueSCEPChallenge: NewIssueSCEPChallengeHandler(core),
		Queries:            NewQueries(core, keys),
		core:               core,
	}
	app.DueRenewal = NewDueRenewalHandler(core)
	app.AutoRenew = NewAutoRenewHandler(core, app.RenewCertificate, app.Issue)
	app.AdoptCertificate = NewAdoptCertificateHandler(core)
	app.RotateSigningKey = NewRotateSigningKeyHandler(core, app.CreateSigningKey)
	app.ACME = newACMEHandlers(core, app.RequestCertificate)
	app.EnrollSCEP = NewEnrollSCEPHandler(core, app.RequestCertificate)
	app.IssueJoinToken = NewIssueJoinTokenHandler(core)
	app.EnrollAgent = NewEnrollAgentHandler(core, app.RequestCertificate)
	app.AgentHeartbeat = NewAgentHeartbeatHandler(core)
	app.RevokeAgent = NewRevokeAgentHandler(core, app.Revoke)
	app.DeployCertificate = NewDeployCertificateHandler(core)
	app.IssueDeployment = NewIssueDeploymentHandler(core, app.RequestCertificate)
	app.ReportDeployment = NewReportDeploymentHandler(core)
	return app, nil
}
