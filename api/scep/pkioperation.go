package scep

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/smallstep/pkcs7"
	"github.com/smallstep/scep"

	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// pkiOperation answers a PKCSReq, RenewalReq or GetCertInitial with a CertRep. A message that
// is not a signed SCEP request is a 400: there is nobody to address a CertRep to.
func (s *Server) pkiOperation(c echo.Context, p Provisioner) error {
	raw, err := message(c)
	if err != nil {
		return c.String(http.StatusBadRequest, err.Error()+"\n")
	}
	ctx := c.Request().Context()
	p7, err := pkcs7.Parse(raw)
	if err == nil {
		err = p7.Verify()
	}
	if err != nil {
		return c.String(http.StatusBadRequest, "the message is not a signed PKCS#7 SCEP request: "+err.Error()+"\n")
	}
	req := request{signer: p7.GetOnlySigner()}
	var msgType scep.MessageType
	if err := errors.Join(p7.UnmarshalSignedAttribute(oidTransactionID, &req.transactionID),
		p7.UnmarshalSignedAttribute(oidMessageType, &msgType), p7.UnmarshalSignedAttribute(oidSenderNonce, &req.senderNonce)); err != nil || req.signer == nil {
		return c.String(http.StatusBadRequest, "the message lacks its signer or a SCEP attribute (transactionID, messageType, senderNonce)\n")
	}
	ra, key, err := s.ra(ctx, p)
	if err != nil {
		return err
	}
	var a answer
	switch msgType {
	case scep.PKCSReq, scep.RenewalReq:
		a, err = s.enroll(ctx, c, p, raw, msgType, req, ra, key)
	case scep.CertPoll:
		a, err = s.poll(ctx, p, req)
	default:
		a = failure(scep.BadRequest)
	}
	if err != nil {
		return err
	}
	out, err := certRep(ra, key, req, a)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/x-pki-message", out)
}

// enroll decrypts a PKCSReq or RenewalReq and runs it: an enrollment with its challenge, or
// the renewal of the certificate it was signed with.
func (s *Server) enroll(ctx context.Context, c echo.Context, p Provisioner, raw []byte, msgType scep.MessageType, req request,
	ra *x509.Certificate, key crypto.Signer) (answer, error) {
	msg, err := scep.ParsePKIMessage(raw)
	if err == nil {
		err = msg.DecryptPKIEnvelope(ra, key)
	}
	if err != nil {
		s.deps.Logger.Info("SCEP request refused", "provisioner", p.Name, "error", err)
		return failure(scep.BadMessageCheck), nil
	}
	csrPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: msg.CSRReqMessage.RawDecrypted})
	caller := commands.Caller{SourceAddr: c.RealIP(), UserAgent: c.Request().UserAgent()}
	var id uuid.UUID
	if msgType == scep.PKCSReq {
		id, err = s.deps.Ledger.Enroll.Handle(ctx, commands.EnrollSCEP{Provisioner: p.Name, CAID: p.CAID, Profile: p.Profile,
			TransactionID: string(req.transactionID), CSRPEM: csrPEM, Challenge: msg.ChallengePassword}, caller)
	} else {
		id, err = s.renew(ctx, p, req, csrPEM, caller)
	}
	if kind := domain.KindOf(err); kind != "" {
		s.deps.Logger.Info("SCEP request refused", "provisioner", p.Name, "transaction", req.transactionID, "error", err)
		return failure(scep.BadRequest), nil
	}
	if err != nil {
		return answer{}, err
	}
	return s.answerFor(ctx, id)
}

// renew renews the certificate a RenewalReq was signed with, which the ledger issued and holds
// as issued, and returns the renewal's id.
func (s *Server) renew(ctx context.Context, p Provisioner, req request, csrPEM []byte, caller commands.Caller) (uuid.UUID, error) {
	issued, err := s.deps.Issued.IssuedCertificate(ctx, auth.Fingerprint(req.signer))
	if errors.Is(err, auth.ErrCertificateUnknown) || (err == nil && issued.Status != string(domain.StatusIssued)) {
		return uuid.Nil, &domain.Error{Kind: domain.KindForbidden, Message: "a RenewalReq must be signed with a certificate the ledger issued and holds as issued"}
	}
	if err != nil {
		return uuid.Nil, err
	}
	old, err := uuid.Parse(issued.ID)
	if err != nil {
		return uuid.Nil, err
	}
	id := renewalID(p, req, old)
	caller.Actor = domain.Actor{Subject: "scep:" + p.Name + ":" + issued.ID, Roles: []domain.Role{domain.RoleDevOps}, Team: issued.Team}
	_, err = s.deps.Ledger.Renew.Handle(ctx, commands.RenewCertificate{CommandID: uuid.NewSHA1(id, []byte("renew")),
		CertificateID: old, NewCertificateID: id, CSRPEM: csrPEM}, caller)
	return id, err
}

// renewalID is the id of the certificate that renews old for a transaction: the transaction
// id alone is a hash of the key, which a renewal may keep.
func renewalID(p Provisioner, req request, old uuid.UUID) uuid.UUID {
	return uuid.NewSHA1(old, []byte("scep renewal\x00"+p.Name+"\x00"+string(req.transactionID)))
}

// poll answers a GetCertInitial: the state of the transaction's certificate, a renewal's when
// the poll is signed with a certificate the ledger issued (RFC 8894 §3.3.3: the same key as the
// request), an enrollment's otherwise.
func (s *Server) poll(ctx context.Context, p Provisioner, req request) (answer, error) {
	id := commands.SCEPCertificateID(p.Name, string(req.transactionID))
	issued, err := s.deps.Issued.IssuedCertificate(ctx, auth.Fingerprint(req.signer))
	switch {
	case err == nil:
		old, err := uuid.Parse(issued.ID)
		if err != nil {
			return answer{}, err
		}
		id = renewalID(p, req, old)
	case !errors.Is(err, auth.ErrCertificateUnknown):
		return answer{}, err
	}
	return s.answerFor(ctx, id)
}

// answerFor answers with the certificate's state: issued, SUCCESS; waiting for approval,
// PENDING; unknown, rejected or anything else, FAILURE.
func (s *Server) answerFor(ctx context.Context, id uuid.UUID) (answer, error) {
	cert, err := s.deps.Ledger.Queries.Certificate(ctx, id)
	if domain.IsKind(err, domain.KindNotFound) {
		return failure(scep.BadCertID), nil
	}
	if err != nil {
		return answer{}, err
	}
	switch cert.Status() {
	case domain.StatusIssued:
		return success(cert.CertificateDER()), nil
	case domain.StatusPendingApproval, domain.StatusApproved:
		return pending(), nil
	}
	return failure(scep.BadRequest), nil
}
